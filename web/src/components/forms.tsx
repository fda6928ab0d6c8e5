// Forms and requests: a request's failure (alert and per-field messages), a form's busy
// state, the data-entry keyboard, and secrets shown once. Light on purpose: the sign-in
// page loads it (the `web` benchmark).
import { useState, type KeyboardEvent } from 'react';
import i18n from 'i18next';
import { useTranslation } from 'react-i18next';
import { Alert, Button, Code, CopyButton, Group, List, Stack, Text } from '@mantine/core';
import { isApiError, type FieldProblem } from '../api.ts';

/** The message for a failed request: the server's explanation, or a plain fallback. */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: unknown): string => {
    if (isApiError(error)) {
      if (error.code === 'network') return t('errors.network');
      if (error.status === 403 && !error.detail) return t('errors.forbidden');
      // fields the request's schema refused: each in the console's language, by its name in the request
      if (error.problems.length > 0 && error.problems.every((p) => p.reason)) {
        const list = error.problems.map((p) => `${p.field.split('.').pop()}: ${fieldProblemText(p, t, i18n.language)}`).join(' ');
        return t('errors.fields', { list });
      }
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

/** The problem the server found with one field of a form ("body.birthDate" → "birthDate"), in the console's language. */
export function fieldError(error: unknown, field: string): string | undefined {
  const problem = isApiError(error) ? error.fieldProblem(field) : undefined;
  return problem && fieldProblemText(problem, i18n.t.bind(i18n), i18n.language);
}

/**
 * A field's problem in the console's language. Why the request's schema refused it (a
 * length, a bound, a missing value) is worded from the catalogue, with its limit. Where the
 * server's message is the more precise one (a format, such as "must be a time as HH:MM",
 * or a rule of its own), English shows that message and Spanish the catalogue's general
 * words. A problem without a reason (a use case's own check) keeps the server's message.
 */
export function fieldProblemText(problem: FieldProblem, t: (key: string, options?: Record<string, unknown>) => string, language: string): string {
  const { reason, limit } = problem;
  if (!reason || ((reason === 'invalid_format' || reason === 'invalid') && !language.startsWith('es'))) return problem.message;
  // too_long → tooLong; a number's bound without its limit ("more than 0") → tooSmallNoLimit
  const key = reason.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()) + (limit === undefined && (reason === 'too_small' || reason === 'too_large') ? 'NoLimit' : '');
  return t(`errors.field.${key}`, { count: limit, limit, defaultValue: problem.message });
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
