// One process per PGlite data directory: two would silently lose data. The lock is a
// file holding the owner's pid, created exclusively; a lock left by a dead process is
// taken over.
import { openSync, closeSync, writeSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

export type DataDirLock = { release(): void };

/** Directories this process holds: a second open in the same process is refused too. */
const held = new Set<string>();

export function acquireDataDirLock(dir: string): DataDirLock {
  const file = join(dir, 'waypoint.lock');
  if (held.has(file)) {
    throw new AppError({ code: 'data_dir_locked', status: 409, message: `The data directory ${dir} is already open in this process.` });
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(file);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        held.delete(file);
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new AppError({
          code: 'data_dir_locked',
          status: 409,
          message:
            `Another Waypoint process (pid ${owner}) is using the data directory ${dir}. ` +
            'The embedded database allows one process at a time: stop the other process, ' +
            'or set WAYPOINT_DATA_DIR to a different directory.',
        });
      }
      unlinkSync(file); // stale: its owner is gone
    }
  }
  throw new Error(`could not lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
