// Skills offline (issue 13). What the patient does in a module — a screen reached, an exercise
// saved, a module finished — is kept in a queue on this phone (localStorage, which sign-out and
// revocation wipe: device.ts) and sent oldest first: at once, after each action, when the
// phone is back online and when the app opens. Each item keeps the time it was done (`at`);
// an entry keeps its id, so a resend is stored once. An item the server refuses (4xx other
// than 401) is dropped; on a network error, a locked session (401) or a server error it waits.
// The last list of modules is kept too (waypoint.app.skills), with what was done here since,
// so the list shows offline.
import { useEffect } from 'react';
import { PatientApiError } from '../api.ts';
import { skillsApi, type AppCompletionResultT, type AppCompletionT, type AppEntryT, type AppScreenT, type AppSkillsT } from './api.ts';

export const QUEUE_KEY = 'waypoint.app.skills-queue';
export const LIST_KEY = 'waypoint.app.skills';

export type QueueItem = { key: string; kind: 'screen'; body: AppScreenT } | { key: string; kind: 'entry'; body: AppEntryT } | { key: string; kind: 'completion'; body: AppCompletionT };
type Result = { kind: 'screen' } | { kind: 'entry' } | { kind: 'completion'; result: AppCompletionResultT };

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}
function write(key: string, value: unknown | null) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* storage full or unavailable: nothing more to do */
  }
}

export const queued = (): QueueItem[] => read<QueueItem[]>(QUEUE_KEY, []);
const setQueued = (items: QueueItem[]) => write(QUEUE_KEY, items.length ? items : null);

export const newId = () =>
  typeof crypto.randomUUID === 'function'
    ? crypto.randomUUID()
    : '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) => (Number(c) ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (Number(c) / 4)))).toString(16));

async function post(item: QueueItem): Promise<Result> {
  if (item.kind === 'screen') return skillsApi.screen(item.body).then(() => ({ kind: 'screen' }));
  if (item.kind === 'entry') return skillsApi.entry(item.body).then(() => ({ kind: 'entry' }));
  return skillsApi.complete(item.body).then((result) => ({ kind: 'completion', result }));
}

const waits = (err: unknown) => !(err instanceof PatientApiError) || err.status === 401 || err.status >= 500;

let running: Promise<Map<string, Result | 'refused'>> | null = null;

/** Sends what waits, oldest first, and stops at the first item that must wait. Answers what each sent item got. One run at a time. */
export function flush(): Promise<Map<string, Result | 'refused'>> {
  const run = async () => {
    const done = new Map<string, Result | 'refused'>();
    for (const item of queued()) {
      try {
        done.set(item.key, await post(item));
      } catch (err) {
        if (waits(err)) break;
        done.set(item.key, 'refused');
      }
      setQueued(queued().filter((q) => q.key !== item.key));
    }
    return done;
  };
  const next = (running ?? Promise.resolve(new Map())).then(run, run);
  running = next;
  void next.finally(() => {
    if (running === next) running = null;
  });
  return next;
}

export type Sent<R> = { status: 'sent'; result: R } | { status: 'waiting' } | { status: 'refused' };

/** Puts one action in the queue and sends the queue: 'sent' (with the server's answer), 'waiting' (kept on the phone) or 'refused'. */
export async function submit(item: Omit<QueueItem, 'key'> & { kind: 'completion' }): Promise<Sent<AppCompletionResultT>>;
export async function submit(item: Omit<QueueItem, 'key'>): Promise<Sent<null>>;
export async function submit(item: Omit<QueueItem, 'key'>): Promise<Sent<AppCompletionResultT | null>> {
  const key = item.kind === 'entry' ? (item.body as AppEntryT).id : newId();
  setQueued([...queued(), { ...item, key } as QueueItem]);
  const done = (await flush()).get(key);
  if (done === undefined) return { status: 'waiting' };
  if (done === 'refused') return { status: 'refused' };
  return { status: 'sent', result: done.kind === 'completion' ? done.result : null };
}

/** Sends the queue when the app opens and whenever the phone comes back online (mounted once, in the signed-in app). */
export function useSkillsSync(onSent?: () => void) {
  useEffect(() => {
    const go = () => {
      if (queued().length === 0) return;
      void flush().then((done) => {
        if (done.size > 0) onSent?.();
      });
    };
    go();
    window.addEventListener('online', go);
    return () => window.removeEventListener('online', go);
  }, [onSent]);
}

// ---------- the list, kept on the phone ----------

export const savedList = (): AppSkillsT | null => read<AppSkillsT | null>(LIST_KEY, null);
export const saveList = (list: AppSkillsT) => write(LIST_KEY, list);

/** What the patient did here shows in the saved list before the server answers (screens only move forward). */
export function noteProgress(moduleKey: string, version: number, change: { screen: number } | { completed: true }) {
  const list = savedList();
  if (!list) return;
  saveList({
    ...list,
    modules: list.modules.map((m) => {
      if (m.key !== moduleKey || m.version !== version) return m;
      if ('completed' in change) return { ...m, status: 'completed' as const };
      return { ...m, status: m.status === 'new' ? ('started' as const) : m.status, furthestScreen: Math.max(m.furthestScreen ?? -1, change.screen) };
    }),
  });
}
