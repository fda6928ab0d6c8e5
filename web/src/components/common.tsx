// Small pieces used on many screens.
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, Badge, Button, Code, CopyButton, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { ROLE_PERMISSIONS, ROLES, type Permission } from '../../../core/access/roles.ts';
import { isApiError } from '../api.ts';

/** The message for a failed request: the server's explanation, or a plain fallback. */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: unknown): string => {
    if (isApiError(error)) {
      if (error.code === 'network') return t('errors.network');
      if (error.status === 403 && !error.detail) return t('errors.forbidden');
      return error.detail || t('errors.generic');
    }
    return t('errors.generic');
  };
}

/** A failed request, announced to screen readers, with what to do next. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" title={title ?? t('errors.title')} role="alert" icon={<span aria-hidden="true">!</span>}>
      {text(error)}
    </Alert>
  );
}

/**
 * A form's request: `busy` while it runs, its failure kept in `error` for ErrorAlert and
 * fieldError. `run` answers whether the action succeeded.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/** Fields Enter moves through (a text, number, date or time input), not buttons, boxes or lists. */
function isTypingField(el: Element): el is HTMLInputElement {
  return el instanceof HTMLInputElement && !['checkbox', 'radio', 'submit', 'button', 'reset', 'file', 'hidden'].includes(el.type);
}

/** The form's controls in tab order (document order, tabindex ≥ 0, visible, enabled; one radio per group). */
function tabbableControls(form: HTMLElement): HTMLElement[] {
  const seenGroups = new Set<string>();
  return Array.from(form.querySelectorAll<HTMLElement>('input, select, textarea, button')).filter((el) => {
    if ((el as HTMLInputElement).disabled || el.tabIndex < 0 || (el as HTMLInputElement).type === 'hidden' || el.getClientRects().length === 0) return false;
    if (el instanceof HTMLInputElement && el.type === 'radio') {
      const group = el.name || el.id;
      const groupChecked = !!form.querySelector(`input[type="radio"][name="${CSS.escape(el.name)}"]:checked`);
      if (seenGroups.has(group) || (groupChecked && !el.checked)) return false;
      seenGroups.add(group);
    }
    return true;
  });
}

/**
 * Keyboard for data-entry forms: Enter in a field moves to the next field instead of
 * submitting (a half-filled form is not sent by a stray Enter); Ctrl+Enter or Cmd+Enter
 * submits from anywhere in the form. Put it on the form's onKeyDown.
 */
export function enterMovesToNextField(e: KeyboardEvent<HTMLFormElement>) {
  if (e.key !== 'Enter' || e.altKey || e.shiftKey) return;
  const form = e.currentTarget;
  if (e.ctrlKey || e.metaKey) {
    e.preventDefault();
    form.requestSubmit();
    return;
  }
  if (!isTypingField(e.target as Element)) return;
  e.preventDefault();
  const controls = tabbableControls(form);
  const next = controls[controls.indexOf(e.target as HTMLElement) + 1];
  next?.focus();
}

/**
 * After a rejected save, the first field in error takes focus and is scrolled into view
 * (its message is beside it); when no field is named, the form's error alert does.
 */
export function focusFirstError(form: HTMLElement | null) {
  if (!form) return;
  const target = form.querySelector<HTMLElement>('[aria-invalid="true"], [data-field-error]') ?? form.querySelector<HTMLElement>('[role="alert"]');
  if (!target) return;
  if (target.tabIndex < 0 && !target.matches('input, select, textarea, button')) target.setAttribute('tabindex', '-1');
  target.scrollIntoView({ block: 'center' });
  target.focus({ preventScroll: true });
}

/** The message the server gave for one field of a form ("body.birthDate" → "birthDate"). */
export function fieldError(error: unknown, field: string): string | undefined {
  return isApiError(error) ? error.fieldMessage(field) : undefined;
}

/** Heading level 1 of a screen; also names the browser tab. */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  return (
    <Title order={1} ref={ref} size="h2">
      {children}
    </Title>
  );
}

/** "Who can see this": the roles that hold a permission, named on sensitive sections. */
export function WhoCanSee({ permission }: { permission: Permission }) {
  const { t } = useTranslation();
  const roles = ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(permission)).map((r) => t(`roles.${r}`));
  return (
    <Text size="sm" c="dimmed">
      <LockIcon />
      {t('privacy.whoCanSee', { roles: roles.join(', ') })}
    </Text>
  );
}

function LockIcon() {
  return (
    <svg aria-hidden="true" focusable="false" width="12" height="12" viewBox="0 0 16 16" style={{ marginRight: 6, verticalAlign: '-1px' }}>
      <path fill="currentColor" d="M4 7V5a4 4 0 1 1 8 0v2h1a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1zm2 0h4V5a2 2 0 1 0-4 0v2z" />
    </svg>
  );
}

/** A secret shown once (temporary password, recovery codes, MFA key), with a copy button. */
export function OneTimeSecret({ label, values, warning }: { label: string; values: string[]; warning: string }) {
  const { t } = useTranslation();
  const all = values.join('\n');
  return (
    <Stack gap="xs">
      <Alert color="yellow" variant="light" icon={<span aria-hidden="true">!</span>} title={t('secret.onceTitle')}>
        {warning}
      </Alert>
      <Text fw={600} id="one-time-secret-label">
        {label}
      </Text>
      {values.length === 1 ? (
        <Code block aria-labelledby="one-time-secret-label" fz="lg" data-testid="one-time-secret">
          {values[0]}
        </Code>
      ) : (
        <List aria-labelledby="one-time-secret-label" data-testid="one-time-secret" style={{ fontFamily: 'monospace' }}>
          {values.map((v) => (
            <List.Item key={v}>{v}</List.Item>
          ))}
        </List>
      )}
      <Group>
        <CopyButton value={all}>
          {({ copied, copy }) => (
            <Button variant="default" onClick={copy}>
              {copied ? t('secret.copied') : t('secret.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

/** A state shown with a word and a symbol, never by colour alone. */
export function StatusBadge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'neutral'; children: ReactNode }) {
  const symbol = { ok: '✓', warn: '!', bad: '✕', neutral: '•' }[tone];
  const color = { ok: 'teal', warn: 'yellow', bad: 'red', neutral: 'gray' }[tone];
  return (
    // The tone's light background with near-black text: the light variant's own coloured text
    // (teal 9 on teal 1) is 4.32:1 at this size, under WCAG's 4.5:1.
    <Badge color={color} variant="light" c="gray.9" leftSection={<span aria-hidden="true">{symbol}</span>} style={{ textTransform: 'none' }}>
      {children}
    </Badge>
  );
}

/**
 * A table's header row: one column header per label, and with `actions` a last column
 * for row buttons, named for screen readers only.
 */
export function TableHead({ labels, actions = false }: { labels: ReactNode[]; actions?: boolean }) {
  const { t } = useTranslation();
  return (
    <Table.Thead>
      <Table.Tr>
        {labels.map((label, i) => (
          <Table.Th scope="col" key={i}>
            {label}
          </Table.Th>
        ))}
        {actions ? (
          <Table.Th scope="col">
            <span className="sr-only">{t('common.actions')}</span>
          </Table.Th>
        ) : null}
      </Table.Tr>
    </Table.Thead>
  );
}
