// One read for a screen: `load` runs when the screen appears and again whenever `key`
// changes (the live stream's version, a check-in sent); an answer that comes after the
// screen has gone is dropped. `failed` says the last read did not come back.
import { useEffect, useRef, useState } from 'react';

export function useLoaded<T>(load: () => Promise<T>, key: unknown = 0) {
  const [data, setData] = useState<T | null>(null);
  const [failed, setFailed] = useState(false);
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
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [key]);
  return { data, failed, setData };
}
