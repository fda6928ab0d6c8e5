// One read for a screen: `load` runs when the screen appears and again whenever `key`
// changes (the live stream's version, a check-in sent); an answer that comes after the
// screen has gone is dropped. `failed` says the last read did not come back.
//
// With `keep`, the last answer is kept on this phone (localStorage, wiped at sign-out and
// revocation: device.ts) and shown when the phone is offline, with `keptAt` saying when it
// was read (ADR 051). Only a network failure falls back to it: an answer from the server
// (a locked session, an error) never shows a kept copy.
import { useEffect, useRef, useState } from 'react';
import { PatientApiError } from './api.ts';

const PREFIX = 'waypoint.app.kept.';

function keepCopy(name: string, data: unknown) {
  try {
    localStorage.setItem(PREFIX + name, JSON.stringify({ at: new Date().toISOString(), data }));
  } catch {
    /* storage full or unavailable: nothing kept */
  }
}

function keptCopy<T>(name: string): { at: string; data: T } | null {
  try {
    const raw = localStorage.getItem(PREFIX + name);
    return raw ? (JSON.parse(raw) as { at: string; data: T }) : null;
  } catch {
    return null;
  }
}

export function useLoaded<T>(load: () => Promise<T>, key: unknown = 0, keep?: string) {
  const [data, setData] = useState<T | null>(null);
  const [failed, setFailed] = useState(false);
  const [keptAt, setKeptAt] = useState<string | null>(null);
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let live = true;
    latest
      .current()
      .then((d) => {
        if (!live) return;
        setData(d);
        setFailed(false);
        setKeptAt(null);
        if (keep) keepCopy(keep, d);
      })
      .catch((err: unknown) => {
        if (!live) return;
        const kept = keep && !(err instanceof PatientApiError) ? keptCopy<T>(keep) : null;
        if (kept) {
          setData(kept.data);
          setKeptAt(kept.at);
        } else setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [key, keep]);
  return { data, failed, keptAt, setData };
}
