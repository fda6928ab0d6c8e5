// The patient's safety plan (Stanley & Brown's six parts; ADR 037), in Help now once the app
// is unlocked: read it, change it, save it. The counsellor edits the same plan in the
// console. A save names the version it began from; if the care team saved in between, the
// server refuses it (409) and this screen puts the patient's changes on top of the newer
// plan (core mergeSafetyPlan) to check and save again — nothing is lost, nothing overwritten.
// The rules (limits, phone numbers) are core's, checked here first so errors are in the
// patient's language and sit on the line at fault.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONTACT_SECTIONS,
  mergeSafetyPlan,
  professionalsWithCrisisLine,
  SAFETY_PLAN_LIMITS,
  SAFETY_PLAN_SECTIONS,
  safetyPlanProblems,
  tidySafetyPlan,
  type FieldProblem,
  type SafetyPlanContent,
  type SafetyPlanSection,
} from '../../../core/help/safety-plan.ts';
import { dialable } from '../../../core/help/settings.ts';
import { formatDate } from '../format.ts';
import { patientApi, PatientApiError } from './api.ts';
import { useLoaded } from './useLoaded.ts';

const isContacts = (s: SafetyPlanSection): s is (typeof CONTACT_SECTIONS)[number] => (CONTACT_SECTIONS as readonly string[]).includes(s);

export function SafetyPlan() {
  const { t, i18n } = useTranslation();
  const { data: current, failed, setData: setCurrent } = useLoaded(() => patientApi.safetyPlan(), 0, 'safety-plan');
  const [draft, setDraft] = useState<{ base: SafetyPlanContent; version: number; plan: SafetyPlanContent } | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const problemText = (p: FieldProblem) =>
    p.kind === 'too-many' ? t('patientApp.help.plan.problems.tooMany', { limit: p.limit }) : t(`patientApp.help.plan.problems.${p.kind === 'too-long' ? 'tooLong' : p.kind}`);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const plan = tidySafetyPlan(draft.plan);
    const found = safetyPlanProblems(plan);
    setProblems(found);
    setNotice(null);
    if (found.length > 0) return;
    setBusy(true);
    try {
      const saved = await patientApi.saveSafetyPlan({ version: draft.version, plan });
      setCurrent(saved);
      setDraft(null);
      setNotice(t('patientApp.help.plan.saved'));
    } catch (err) {
      if (err instanceof PatientApiError && err.status === 409) {
        const latest = await patientApi.safetyPlan().catch(() => null);
        if (latest) {
          setCurrent(latest);
          setDraft({ base: latest.plan, version: latest.version, plan: mergeSafetyPlan(draft.base, plan, latest.plan) });
        }
        setNotice(t('patientApp.help.plan.stale'));
      } else setNotice(t('patientApp.errors.generic'));
    } finally {
      setBusy(false);
    }
  };

  if (failed) return null;
  if (!current) return <p>{t('patientApp.loading')}</p>;

  const empty = current.version === 0;
  return (
    <section className="card" aria-labelledby="safety-plan-title" data-testid="safety-plan">
      <h2 id="safety-plan-title">{t('patientApp.help.plan.title')}</h2>
      <p>{t('patientApp.help.plan.intro')}</p>
      {notice ? (
        <p className="notice" role="status" data-testid="safety-plan-notice">
          {notice}
        </p>
      ) : null}
      {draft ? (
        <Editor
          draft={draft.plan}
          onChange={(plan) => setDraft({ ...draft, plan })}
          problems={problems}
          problemText={problemText}
          busy={busy}
          onSubmit={(e) => void save(e)}
          onCancel={() => (setDraft(null), setProblems([]))}
        />
      ) : (
        <>
          {empty ? <p>{t('patientApp.help.plan.empty')}</p> : <PlanView plan={current.plan} />}
          {current.savedAt && current.savedBy ? (
            <p className="hint">{t(`patientApp.help.plan.savedBy.${current.savedBy.kind}`, { date: formatDate(current.savedAt.slice(0, 10), i18n.language) })}</p>
          ) : null}
          <button type="button" className="primary" onClick={() => (setDraft({ base: current.plan, version: current.version, plan: current.plan }), setNotice(null))} data-testid="safety-plan-edit">
            {empty ? t('patientApp.help.plan.start') : t('patientApp.help.plan.edit')}
          </button>
        </>
      )}
    </section>
  );
}

function PlanView({ plan }: { plan: SafetyPlanContent }) {
  const { t } = useTranslation();
  return (
    <>
      {SAFETY_PLAN_SECTIONS.map((s) => {
        const items = s === 'professionals' ? professionalsWithCrisisLine(plan.professionals) : plan[s];
        if (items.length === 0) return null;
        return (
          <div key={s} className="plan-part">
            <h3>{t(`patientApp.help.plan.sections.${s}.title`)}</h3>
            <ul>
              {items.map((x, i) =>
                typeof x === 'string' ? (
                  <li key={i}>{x}</li>
                ) : (
                  <li key={i}>
                    {x.name}{' '}
                    <a className="button" href={`tel:${dialable(x.phone)}`}>
                      {t('patientApp.help.call')} <span className="sr-only">{x.name}</span> {x.phone}
                    </a>
                  </li>
                ),
              )}
            </ul>
          </div>
        );
      })}
    </>
  );
}

function Editor({
  draft,
  onChange,
  problems,
  problemText,
  busy,
  onSubmit,
  onCancel,
}: {
  draft: SafetyPlanContent;
  onChange: (p: SafetyPlanContent) => void;
  problems: FieldProblem[];
  problemText: (p: FieldProblem) => string;
  busy: boolean;
  onSubmit: (e: FormEvent) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const errorOf = (field: string) => {
    const p = problems.find((x) => x.field === field);
    return p ? problemText(p) : null;
  };
  const set = <S extends SafetyPlanSection>(s: S, v: SafetyPlanContent[S]) => onChange({ ...draft, [s]: v });
  return (
    <form onSubmit={onSubmit} noValidate data-testid="safety-plan-form">
      {problems.length > 0 ? (
        <p className="error" role="alert">
          {t('patientApp.help.plan.fixErrors')}
        </p>
      ) : null}
      {SAFETY_PLAN_SECTIONS.map((s) => {
        const listError = errorOf(s);
        return (
          <fieldset key={s} className="plan-part" aria-describedby={`${s}-hint`}>
            <legend>{t(`patientApp.help.plan.sections.${s}.title`)}</legend>
            <p className="hint" id={`${s}-hint`}>
              {t(`patientApp.help.plan.sections.${s}.hint`)}
              {s === 'professionals' ? ` ${t('patientApp.help.plan.always988')}` : ''}
            </p>
            {isContacts(s)
              ? draft[s].map((c, i) => {
                  const nameErr = errorOf(`${s}.${i}.name`);
                  const phoneErr = errorOf(`${s}.${i}.phone`);
                  const update = (patch: Partial<typeof c>) =>
                    set(
                      s,
                      draft[s].map((x, j) => (j === i ? { ...x, ...patch } : x)),
                    );
                  return (
                    <div key={i} className="plan-contact">
                      <div className="field">
                        <label htmlFor={`${s}-${i}-name`}>
                          {t('patientApp.help.plan.name')} ({i + 1})
                        </label>
                        <input
                          id={`${s}-${i}-name`}
                          value={c.name}
                          maxLength={SAFETY_PLAN_LIMITS.name + 20}
                          onChange={(e) => update({ name: e.target.value })}
                          aria-invalid={!!nameErr || undefined}
                          aria-describedby={nameErr ? `${s}-${i}-name-error` : undefined}
                        />
                        {nameErr ? (
                          <p className="error" id={`${s}-${i}-name-error`}>
                            {nameErr}
                          </p>
                        ) : null}
                      </div>
                      <div className="field">
                        <label htmlFor={`${s}-${i}-phone`}>
                          {t('patientApp.help.plan.phone')} ({i + 1})
                        </label>
                        <input
                          id={`${s}-${i}-phone`}
                          type="tel"
                          autoComplete="off"
                          value={c.phone}
                          maxLength={SAFETY_PLAN_LIMITS.phone + 10}
                          onChange={(e) => update({ phone: e.target.value })}
                          aria-invalid={!!phoneErr || undefined}
                          aria-describedby={phoneErr ? `${s}-${i}-phone-error` : undefined}
                        />
                        {phoneErr ? (
                          <p className="error" id={`${s}-${i}-phone-error`}>
                            {phoneErr}
                          </p>
                        ) : null}
                      </div>
                      <button
                        type="button"
                        onClick={() =>
                          set(
                            s,
                            draft[s].filter((_, j) => j !== i),
                          )
                        }
                      >
                        {t('patientApp.help.plan.remove')}
                        <span className="sr-only"> {c.name || t('patientApp.help.plan.line', { n: i + 1 })}</span>
                      </button>
                    </div>
                  );
                })
              : draft[s].map((text, i) => {
                  const err = errorOf(`${s}.${i}`);
                  const id = `${s}-${i}`;
                  return (
                    <div key={i} className="field plan-line">
                      <label htmlFor={id} className="sr-only">
                        {t(`patientApp.help.plan.sections.${s}.title`)} — {t('patientApp.help.plan.line', { n: i + 1 })}
                      </label>
                      <div className="plan-line-row">
                        <input
                          id={id}
                          value={text}
                          maxLength={SAFETY_PLAN_LIMITS.text + 40}
                          onChange={(e) =>
                            set(
                              s,
                              draft[s].map((x, j) => (j === i ? e.target.value : x)),
                            )
                          }
                          aria-invalid={!!err || undefined}
                          aria-describedby={err ? `${id}-error` : undefined}
                        />
                        <button
                          type="button"
                          onClick={() =>
                            set(
                              s,
                              draft[s].filter((_, j) => j !== i),
                            )
                          }
                          aria-label={t('patientApp.help.plan.removeLine', { n: i + 1 })}
                        >
                          ✕
                        </button>
                      </div>
                      {err ? (
                        <p className="error" id={`${id}-error`}>
                          {err}
                        </p>
                      ) : null}
                    </div>
                  );
                })}
            {listError ? <p className="error">{listError}</p> : null}
            <button
              type="button"
              onClick={() => (isContacts(s) ? set(s, [...draft[s], { name: '', phone: '' }]) : set(s, [...(draft[s] as string[]), '']))}
              disabled={draft[s].length >= SAFETY_PLAN_LIMITS.items}
              data-testid={`add-${s}`}
            >
              {isContacts(s) ? t('patientApp.help.plan.addPerson') : t('patientApp.help.plan.addLine')}
              <span className="sr-only"> — {t(`patientApp.help.plan.sections.${s}.title`)}</span>
            </button>
          </fieldset>
        );
      })}
      <button type="submit" className="primary" disabled={busy} data-testid="safety-plan-save">
        {busy ? t('patientApp.wait') : t('patientApp.help.plan.save')}
      </button>
      <button type="button" onClick={onCancel} className="secondary-wide">
        {t('patientApp.help.plan.cancel')}
      </button>
    </form>
  );
}
