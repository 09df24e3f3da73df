/**
 * Findings in the compact form the corpus index carries from the worker to the host's Problems view: each with
 * its line/character range computed where the text is (the worker), so the host does no text work per file.
 */
import type { CorpusDiagnostic, RuleCode, Severity } from './rules';

/** A finding of a file that is not open: no fixes (quick fixes come from an open document's own findings). */
export interface IndexedFinding {
  code: RuleCode;
  severity: Severity;
  message: string;
  /** start line, start character, end line, end character (zero-based, UTF-16, VS Code's line breaks) */
  range: [number, number, number, number];
}

/** VS Code shows at most this many diagnostics a file. */
export const MAX_SHOWN = 1000;
const SEVERITY_RANK = { error: 0, warning: 1, information: 2, hint: 3 } as const;

/** The findings to show: all of them, or the MAX_SHOWN most severe (by position within a severity). */
export function mostSevere<F extends { severity: Severity; start: number }>(findings: F[], max = MAX_SHOWN): F[] {
  return findings.length > max ? [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.start - b.start).slice(0, max) : findings;
}

/** The offsets at which lines start, line breaks as VS Code counts them (\r\n, \n, \r). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
  return starts;
}

/** The findings to show of one text, with line/character ranges (offsets inside a \r\n count as its line's end, as VS Code's positionAt does). */
export function indexedFindings(text: string, findings: CorpusDiagnostic[]): IndexedFinding[] {
  const shown = mostSevere(findings);
  if (shown.length === 0) return [];
  const starts = lineStarts(text);
  const position = (offset: number): [number, number] => {
    const o = Math.max(0, Math.min(offset, text.length));
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= o) lo = mid; else hi = mid - 1; }
    // an offset between \r and \n is the end of the line's content
    const next = starts[lo + 1];
    const lineEnd = next === undefined ? text.length : next - (text[next - 1] === '\n' && text[next - 2] === '\r' ? 2 : 1);
    return [lo, Math.min(o, lineEnd) - starts[lo]];
  };
  return shown.map((f) => ({ code: f.code, severity: f.severity, message: f.message, range: [...position(f.start), ...position(f.end)] }));
}
