// Who has the store: a lock file `<DATABASE_PATH>.lock` naming the process that holds it. The desk holds
// it while it runs and a restore while it swaps the file, so a restore never pulls the store from under a
// running desk and the desk never starts on a half-restored one. A lock left by a process that died (a
// crash, a kill -9) is stale and taken over: its pid no longer answers `kill(pid, 0)`.
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';

export interface LockHolder {
  pid: number;
  /** What holds it: "tgdesk" (the running desk) or "restore". */
  by: string;
  since: string;
  host: string;
}

export class InstanceLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the store is in use by ${holder.by} (pid ${holder.pid} on ${holder.host}, since ${holder.since}): ` +
        `stop it first. If that process is surely gone, delete ${lockFile}`,
    );
    this.name = 'InstanceLockedError';
  }
}

export interface InstanceLock {
  file: string;
  release(): void;
}

export function lockFileOf(databasePath: string): string {
  return `${resolve(databasePath)}.lock`;
}

/** Lock files this process holds: its own pid in a lock file is only alive if it is one of these. */
const heldHere = new Set<string>();

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else: alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder named in the lock file, or null when there is none or it is unreadable. */
export function readLock(databasePath: string): LockHolder | null {
  let text: string;
  try {
    text = readFileSync(lockFileOf(databasePath), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number') return null;
    return {
      pid: parsed.pid,
      by: String(parsed.by ?? 'tgdesk'),
      since: String(parsed.since ?? '?'),
      host: String(parsed.host ?? '?'),
    };
  } catch {
    // A bare pid, as a person might write it.
    const pid = Number.parseInt(text.trim(), 10);
    return Number.isInteger(pid) ? { pid, by: 'tgdesk', since: '?', host: '?' } : null;
  }
}

/**
 * The live holder of the store, or null when it is free or the lock is stale. This process's own pid
 * counts only if it really holds the lock: in a container the desk is often pid 1 again after a restart.
 */
export function liveHolder(databasePath: string): LockHolder | null {
  const holder = readLock(databasePath);
  if (!holder) return null;
  if (holder.pid === process.pid) return heldHere.has(lockFileOf(databasePath)) ? holder : null;
  return isAlive(holder.pid) ? holder : null;
}

/** Takes the store's lock or throws InstanceLockedError naming the live holder. */
export function acquireInstanceLock(databasePath: string, by = 'tgdesk'): InstanceLock {
  const file = lockFileOf(databasePath);
  const holder: LockHolder = {
    pid: process.pid,
    by,
    since: new Date().toISOString(),
    host: hostname(),
  };
  // A first start: the store's folder does not exist yet (openDatabase would create it next).
  mkdirSync(dirname(file), { recursive: true });
  // Two tries: the second after removing a stale lock. Creating with 'wx' is atomic, so of two processes
  // racing for a stale lock only one gets it.
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const live = liveHolder(databasePath);
      if (live) throw new InstanceLockedError(file, live);
      try {
        unlinkSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(holder)}\n`);
    } finally {
      closeSync(fd);
    }
    heldHere.add(file);
    let released = false;
    return {
      file,
      release() {
        if (released) return;
        released = true;
        heldHere.delete(file);
        // Only our own lock: never remove one another process took over meanwhile.
        if (readLock(databasePath)?.pid === process.pid) {
          try {
            unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
        }
      },
    };
  }
  const live = liveHolder(databasePath);
  if (live) throw new InstanceLockedError(file, live);
  throw new Error(`could not take the lock ${file}: another process keeps replacing it`);
}
