/**
 * Offsets. Everything in the core speaks UTF-16 code-unit offsets (what JavaScript strings and
 * VS Code count). jieba and the character tagger count Unicode code points; convert explicitly here.
 */

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
/** A half-open span [start, end) of UTF-16 offsets into a text. */
export interface Span { start: number; end: number }

/** Code points of `text`, each with its UTF-16 offset. */
export function codePoints(text: string): { chars: string[]; offsets: number[] } {
  const chars: string[] = [];
  const offsets: number[] = [];
  let i = 0;
  for (const ch of text) {
    chars.push(ch);
    offsets.push(i);
    i += ch.length;
  }
  offsets.push(i);
  return { chars, offsets };
}

/**
 * Maps code-point indices (as jieba counts) to UTF-16 offsets; the result has length cpCount + 1 (a view
 * into `into` when that holds text.length + 1).
 */
export function codePointToUtf16Table(text: string, into?: Uint32Array): Uint32Array {
  const table = into && into.length > text.length ? into : new Uint32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    table[cp++] = i;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  table[cp] = text.length;
  return table.subarray(0, cp + 1);
}

/** Line starts of a text, tolerant of \n, \r\n and lone \r. */
export class LineIndex {
  readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10) {
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }
  get lineCount(): number { return this.starts.length; }
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0, hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[pos.line] + Math.max(0, pos.character), this.lineEnd(pos.line));
  }
  /** Offset of the end of the line's content (before its line break). */
  lineEnd(line: number): number {
    const next = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let e = next;
    if (e > this.starts[line] && this.text.charCodeAt(e - 1) === 10) e--;
    if (e > this.starts[line] && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }
  lineText(line: number): string { return this.text.slice(this.starts[line], this.lineEnd(line)); }
  range(span: Span): Range { return { start: this.positionAt(span.start), end: this.positionAt(span.end) }; }
}

const CJK_RE = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]/u;
export function isCjk(ch: string): boolean { return CJK_RE.test(ch); }
