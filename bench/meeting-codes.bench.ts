// Verifying a meeting's rotating attendance code (core/meetings/attendance-code.ts: the
// meeting's window in its time zone, then two HMAC-SHA256 steps compared in constant time)
// against a bare HMAC-SHA256 of the same input, in the same run. Pure CPU (no database): the
// verify route adds it to one patient-app transaction. Reported as the median ratio of
// interleaved rounds.
import { createHmac } from 'node:crypto';
import { currentCode, verifyAttendanceCode } from '../core/meetings/attendance-code.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = 20_000;
const secret = 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA';
const meetingId = '00000000-0000-4000-8000-00000000000a';
const meeting = { weekday: 3, startTime: '09:30', endTime: '11:00', timeZone: 'America/New_York' };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(fn: (i: number) => unknown): number {
  const t0 = performance.now();
  for (let i = 0; i < N; i++) fn(i);
  return ((performance.now() - t0) * 1000) / N; // µs per call
}

export default async function bench() {
  const base = Date.parse('2026-03-04T15:00:00Z');
  const codes = Array.from({ length: 64 }, (_, i) => currentCode(secret, meetingId, new Date(base + i * 1000)).code);
  const bare = () => time((i) => createHmac('sha256', secret).update(`${meetingId}:${i}`).digest());
  const verify = () => time((i) => verifyAttendanceCode(secret, meetingId, meeting, codes[i % 64]!, new Date(base + (i % 64) * 1000)));
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const [b, v] = r % 2 === 0 ? [bare(), verify()] : [verify(), bare()].reverse();
    console.log(`round ${r + 1}  bare HMAC ${b!.toFixed(2)} µs  verify ${v!.toFixed(2)} µs  ratio ${(v! / b!).toFixed(2)}`);
    ratios.push(v! / b!);
  }
  console.log(`meeting-code verify/bare HMAC: median ${median(ratios).toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(', ')})`);
  await Promise.resolve();
}
