// A status word with its symbol, inline in a sentence or a heading (a span, where the shared
// StatusBadge is a block): never colour alone. `lang`: the badge's language when the text
// around it is in another (a module previewed in Spanish, labels in the staff's language).
import type { ReactNode } from 'react';
import { Badge } from '@mantine/core';

export function InlineBadge({ tone, lang, children }: { tone: 'ok' | 'warn' | 'bad' | 'neutral'; lang?: string; children: ReactNode }) {
  const symbol = { ok: '✓', warn: '!', bad: '✕', neutral: '•' }[tone];
  const color = { ok: 'teal', warn: 'yellow', bad: 'red', neutral: 'gray' }[tone];
  return (
    <Badge component="span" lang={lang} color={color} variant="light" c="gray.9" leftSection={<span aria-hidden="true">{symbol}</span>} style={{ textTransform: 'none', verticalAlign: 'middle' }}>
      {children}
    </Badge>
  );
}
