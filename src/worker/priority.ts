/**
 * The extension's worker threads run below the extension host's thread: on two cores an index run keeps both busy
 * (the worker and its helper), and the host's thread, which shares the process with them, then had to wait for a
 * core in the middle of its own work (typing, VS Code's start-up, the index's progress), which the event-loop
 * delay counts as blocks. A thread of its own process, on Linux, has a nice value of its own: setpriority with the
 * thread's id (libuv's uv_os_setpriority, os.setPriority) changes that thread only. Elsewhere a process id is the
 * only handle, and lowering it would lower the host too: nothing is done there.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** how much lower the extension's background threads run (nice 0 → 10: about a tenth of a contended core's time) */
export const BACKGROUND_NICE = 10;

/** the calling thread's id on Linux (/proc/thread-self names it), or undefined elsewhere */
export function threadOsId(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const id = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(id) && id > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lowers the calling thread's priority by `by` (capped at nice 19); the thread's new nice value, or undefined where
 * a thread's priority cannot be set alone (not Linux) or the system refused. Never raises it.
 */
export function lowerThreadPriority(by = BACKGROUND_NICE): number | undefined {
  const tid = threadOsId();
  if (tid === undefined || tid === process.pid) return undefined; // (the process's main thread: never the host's)
  try {
    const now = getPriority(tid);
    const next = Math.min(19, now + by);
    if (next !== now) setPriority(tid, next);
    return getPriority(tid);
  } catch {
    return undefined;
  }
}
