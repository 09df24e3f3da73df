/**
 * A worker thread of the extension gives its heap's memory back itself before it ends, instead of leaving that to
 * the extension host's thread.
 *
 * V8 13 (Node 22 and later; code-server's Node 24; the Electron of recent VS Code) keeps the pages that a thread's
 * collections freed in a pool, for reuse. When a worker thread ends, its pool goes to the process's main isolate,
 * which unmaps those pages 8 seconds later on the main thread (V8's PagePool::ReleaseOnTearDown and
 * ReleasePooledChunksTask). In the extension host that main thread is the host's own: perf showed it there for 58 ms
 * of munmap calls and cross-processor TLB flushes, 8.0 s after an index run's helper thread ended (bench/RESULTS.md);
 * a plain Node 24 process blocks for 250 ms the same way after a worker that allocated much ends.
 *
 * A memory-reducing collection empties the thread's pool where it runs (V8 releases the pooled pages at the end of a
 * collection that should reduce memory): the "last-resort" flavour of V8's gc extension. The extension's worker,
 * its helper and the concordance search run one just before they end, on their own thread.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' }) => void;

/**
 * V8's gc function for this thread: the global one when the process exposes it already, or one taken from a fresh
 * context with --expose-gc switched on for that moment only (the flag is the whole process's: it is switched off again
 * at once, so that no other context of the host gets a gc function).
 */
function gcFunction(): GcFunction | undefined {
  const global = (globalThis as { gc?: GcFunction }).gc;
  if (typeof global === 'function') return global;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('typeof gc === "function" ? gc : undefined') as GcFunction | undefined;
    return typeof gc === 'function' ? gc : undefined;
  } catch {
    return undefined;
  } finally {
    v8.setFlagsFromString('--no-expose-gc');
  }
}

/**
 * Runs a memory-reducing full collection on this worker thread, so that its pooled pages are unmapped here and now
 * rather than by the main thread 8 s after this thread ends. The collection's time in ms; undefined on the main
 * thread (whose memory is not handed on) or where V8 gives no gc function.
 */
export function releaseHeapBeforeExit(): number | undefined {
  if (isMainThread) return undefined;
  const gc = gcFunction();
  if (!gc) return undefined;
  const t0 = performance.now();
  try {
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    return undefined;
  }
  return performance.now() - t0;
}
