// A module's words on screen: the patient's language (a module's text falls back to English),
// and a body of text as written in content/skills — short paragraphs split on blank lines,
// lines that start with "- " as a list.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../core/skills/module.ts';

export function useLang(): Language {
  const { i18n } = useTranslation();
  return i18n.language === 'es' ? 'es' : 'en';
}

export function Body({ text }: { text: string }) {
  const blocks: ReactNode[] = [];
  text.split(/\n\s*\n/).forEach((block, b) => {
    let para: string[] = [];
    let items: string[] = [];
    const close = () => {
      if (para.length) blocks.push(<p key={`${b}-p${blocks.length}`}>{para.join(' ')}</p>);
      if (items.length)
        blocks.push(
          <ul key={`${b}-l${blocks.length}`}>
            {items.map((x, i) => (
              <li key={i}>{x}</li>
            ))}
          </ul>,
        );
      para = [];
      items = [];
    };
    for (const raw of block.split('\n')) {
      const line = raw.trim();
      if (!line) continue;
      if (line.startsWith('- ')) {
        if (para.length) close();
        items.push(line.slice(2).trim());
      } else {
        if (items.length) close();
        para.push(line);
      }
    }
    close();
  });
  return <div className="sk-body">{blocks}</div>;
}

/** A day on this phone's calendar, as YYYY-MM-DD. */
export function localDay(d = new Date()): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
