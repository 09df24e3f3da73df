// The typing measurement of the extension-host benchmarks (bench.host.ts with Corpus Lens, bench.bare.ts without it).
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import * as vscode from 'vscode';

export interface TypingFigures { maxMs: number; p99Ms: number; maxGcMs: number; majorGcs: number }

/** Types 100 characters into the middle of `doc` (bursts of ten with pauses, so debounced work runs) and measures the event loop and GC pauses. */
export async function typeInto(editor: vscode.TextEditor, doc: vscode.TextDocument): Promise<TypingFigures> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const gcs: { duration: number; kind: number }[] = [];
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) gcs.push({ duration: e.duration, kind: (e as unknown as { detail?: { kind: number } }).detail?.kind ?? 0 }); });
  obs.observe({ entryTypes: ['gc'] });
  h.enable();
  const line = Math.floor(doc.lineCount / 2);
  for (let i = 0; i < 100; i++) {
    await editor.edit((b) => b.insert(new vscode.Position(line, 2), '字'));
    await new Promise((r) => setTimeout(r, i % 10 === 9 ? 400 : 30));
  }
  h.disable();
  obs.disconnect();
  return { maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6, maxGcMs: Math.max(0, ...gcs.map((g) => g.duration)), majorGcs: gcs.filter((g) => g.kind === constants.NODE_PERFORMANCE_GC_MAJOR).length };
}

/** A typing pass's figures under these names (longest block, p99, longest GC pause, major GCs, heap in use after). */
export function recordTyping(figures: Record<string, number | string>, r: TypingFigures, names: [string, string, string, string, string]): void {
  [r.maxMs, r.p99Ms, r.maxGcMs, r.majorGcs, process.memoryUsage().heapUsed / 1048576].forEach((v, i) => { figures[names[i]] = v; });
}

/**
 * `passes` typing passes, each reverted after: the pass whose longest block is the median, and every pass's longest
 * block (one pass against one pass of the bare host was within the spread: 10.4 to 42.7 ms for the bare host alone).
 */
export async function typeMedian(editor: vscode.TextEditor, doc: vscode.TextDocument, passes = 3): Promise<{ median: TypingFigures; each: string }> {
  const runs: TypingFigures[] = [];
  for (let i = 0; i < passes; i++) {
    runs.push(await typeInto(editor, doc));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  const sorted = [...runs].sort((a, b) => a.maxMs - b.maxMs);
  return { median: sorted[Math.floor(passes / 2)], each: runs.map((r) => r.maxMs.toFixed(1)).join(' / ') };
}
