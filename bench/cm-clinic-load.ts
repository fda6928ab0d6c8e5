// The clients of cm-clinic.bench.ts: 32 loops that post the bare route, or record specimens
// for their own patients. They run on the server's thread, or (BENCH_LOAD=thread) on a thread
// of their own, as clients on other machines would: then the server's thread does only the
// server's work. The server's clock follows the recordings through a shared cell.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export type LoadOptions = {
  base: string;
  headers: Record<string, string>;
  patientIds: string[];
  clients: number;
  /** The server's clock, in ms since the epoch: moved forward as the collection times move. */
  clock: BigInt64Array;
};
/** Each request's latency (ms) and the time the load ran for. */
export type LoadResult = { lat: number[]; elapsed: number; depth: number };
export type Load = { bare(ms: number): Promise<LoadResult>; record(ms: number): Promise<LoadResult> };

/** A clock cell both threads can read and move. */
export const clockCell = (at: Date) => {
  const cell = new BigInt64Array(new SharedArrayBuffer(8));
  Atomics.store(cell, 0, BigInt(at.getTime()));
  return cell;
};
export const readClock = (cell: BigInt64Array) => new Date(Number(Atomics.load(cell, 0)));

export function clinicLoad(o: LoadOptions): Load {
  const per = o.patientIds.length / o.clients;
  const sent = Array.from({ length: o.clients }, () => 0);
  // how long the patients' histories are so far, in specimens (the cost of a recording grows with it)
  const depth = () => Math.ceil(Math.max(...sent) / per);
  const day = (k: number) => new Date(Date.UTC(2026, 2, 2 + k, 14)).toISOString();
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${o.base}${path}`, { method: 'POST', headers: o.headers, body: JSON.stringify(body) });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${text.slice(0, 300)}`);
  };
  const run = async (ms: number, one: (client: number) => Promise<void>): Promise<LoadResult> => {
    const lat: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: o.clients }, async (_, c) => {
        while (performance.now() - t0 <= ms) {
          const s = performance.now();
          await one(c);
          lat.push(performance.now() - s);
        }
      }),
    );
    return { lat, elapsed: performance.now() - t0, depth: depth() };
  };
  return {
    bare: (ms) => run(ms, () => post('/bench/bare', {})),
    // client c records for its own patients in turn (c, c+32, …); one specimen per patient per day
    // (the day advances across rounds, so later rounds replay longer histories); ~4 in 5 negative
    record: (ms) =>
      run(ms, async (c) => {
        const k = sent[c]!++;
        const patientId = o.patientIds[c + o.clients * (k % per)]!;
        const neg = (k * 7 + c) % 5 !== 0;
        const collectedAt = day(Math.floor(k / per));
        // recorded a few minutes after collection: a collection time later than the clock is refused
        const recordedAt = BigInt(Date.parse(collectedAt) + 5 * 60_000);
        if (recordedAt > Atomics.load(o.clock, 0)) Atomics.store(o.clock, 0, recordedAt);
        await post('/api/v1/specimens', {
          patientId,
          collectedAt,
          observed: true,
          temperatureC: 34,
          method: 'presumptive',
          results: [
            { analyte: 'cocaine', result: neg ? 'negative' : 'positive' },
            { analyte: 'amphetamine', result: 'negative' },
            { analyte: 'fentanyl', result: 'negative' },
            { analyte: 'opiates', result: 'negative' },
          ],
        });
      }),
  };
}

/** The same clients on a thread of their own; `close` ends the thread. */
export function clinicLoadThread(o: LoadOptions): Load & { close(): Promise<void> } {
  // tsx's loader does not reach worker threads on Node 20: the thread registers it itself.
  const worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`, {
    eval: true,
    workerData: { clinicLoad: o },
  });
  worker.unref();
  let pending: { resolve(r: LoadResult): void; reject(e: unknown): void } | null = null;
  worker.on('message', (m: { ok: LoadResult } | { error: string }) => ('ok' in m ? pending?.resolve(m.ok) : pending?.reject(new Error(m.error))));
  worker.on('error', (e) => pending?.reject(e));
  const call = (kind: 'bare' | 'record', ms: number) =>
    new Promise<LoadResult>((resolve, reject) => {
      pending = { resolve, reject };
      worker.postMessage({ kind, ms });
    });
  return { bare: (ms) => call('bare', ms), record: (ms) => call('record', ms), close: async () => void (await worker.terminate()) };
}

if (!isMainThread && (workerData as { clinicLoad?: LoadOptions } | null)?.clinicLoad) {
  const load = clinicLoad((workerData as { clinicLoad: LoadOptions }).clinicLoad);
  parentPort!.on('message', ({ kind, ms }: { kind: 'bare' | 'record'; ms: number }) => {
    load[kind](ms).then(
      (ok) => parentPort!.postMessage({ ok }),
      (err: Error) => parentPort!.postMessage({ error: err.message }),
    );
  });
}
