/**
 * Glob matching in time bounded by the pattern's length times the path's, for globs that a workspace ships
 * (`.corpus-lens.json` overrides, `corpusLens.index.exclude`). picomatch compiles a glob to a backtracking RegExp:
 * `*a*a*a*a*a*a*a*b` against a name of 200 `a`s takes minutes (each `*` tries every split), on the extension host's
 * thread. Here a pattern is split into path segments; each segment is matched by the classic two-pointer wildcard
 * algorithm (on a mismatch only the last `*` takes one more character: O(pattern × name), never exponential), and
 * the segments are matched against the path's with one row of booleans per pattern segment (`**` = any number of
 * whole segments). The syntax is the common one, with picomatch's meaning under `{ dot: true }`: `*`, `?`, `**`,
 * `[abc]`, `[a-z]`, `[!a]`, `{a,b}`, `\` escapes, and a leading `!` to negate. Extended globs (`@(a|b)`, `+(…)`, …)
 * are refused, and so are patterns over MAX_GLOB_LENGTH characters or with more than MAX_ALTERNATIVES alternatives.
 */

export const MAX_GLOB_LENGTH = 256;
export const MAX_ALTERNATIVES = 64;

type Token = { t: 'lit'; c: string } | { t: 'any' } | { t: 'star' } | { t: 'class'; negated: boolean; ranges: [string, string][] };
/** a path segment's tokens, or `**`: any number of whole segments */
type Segment = Token[] | 'globstar';

export type GlobMatcher = (path: string) => boolean;

/** Compiles one glob, or says in words why it is refused. */
export function compileGlob(glob: string): { ok: true; match: GlobMatcher } | { ok: false; message: string } {
  if (glob.length > MAX_GLOB_LENGTH) return { ok: false, message: `a glob of ${glob.length} characters; at most ${MAX_GLOB_LENGTH} are allowed` };
  let negated = false;
  let body = glob;
  if (body.startsWith('!') && !body.startsWith('!(')) { negated = true; body = body.slice(1); }
  if (/(^|[^\\])[@!+*?]\(/.test(body)) return { ok: false, message: `"${glob}": extended globs such as @(a|b) are not supported` };
  while (body.startsWith('./')) body = body.slice(2);
  // `a/**` matches the folder a itself too, but `*/**` and `a*/**` (a star just before) only what is inside a folder:
  // picomatch's reading, kept so that configs mean what they meant
  const head = body.replace(/(\/\*\*)+$/, ''); // (what comes before the trailing /**, if any)
  const inside = head !== body && /(^|[^\\])\*$/.test(head) && !/(^|\/)\*\*$/.test(head);
  const alternatives = expandBraces(body);
  if (!alternatives) return { ok: false, message: `"${glob}": more than ${MAX_ALTERNATIVES} alternatives in braces` };
  const compiled = alternatives.map((a) => a.split('/').map(parseSegment));
  return { ok: true, match: (p) => p !== '' && compiled.some((segments) => matchSegments(segments, p.split('/'), inside)) !== negated };
}

/**
 * `{a,b}c` → [`ac`, `bc`], innermost braces included; braces without a comma at their top level stay as they are
 * (`{a}` is the text `{a}`). Undefined when there would be more than MAX_ALTERNATIVES.
 */
function expandBraces(glob: string): string[] | undefined {
  let open = -1;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') { i++; continue; }
    if (c === '{') open = i;
    else if (c === '}' && open >= 0) {
      // the innermost braces: split their contents at commas (escaped commas stay)
      const inner = glob.slice(open + 1, i);
      const parts: string[] = [];
      let part = '';
      for (let k = 0; k < inner.length; k++) {
        if (inner[k] === '\\' && k + 1 < inner.length) { part += inner[k] + inner[++k]; continue; }
        if (inner[k] === ',') { parts.push(part); part = ''; } else part += inner[k];
      }
      parts.push(part);
      // not a list: the braces are text, escaped so that they are not taken again (outer braces still expand)
      if (parts.length === 1) return expandBraces(`${glob.slice(0, open)}\\{${inner}\\}${glob.slice(i + 1)}`);
      const out: string[] = [];
      for (const p of parts) {
        const more = expandBraces(glob.slice(0, open) + p + glob.slice(i + 1));
        if (!more || out.length + more.length > MAX_ALTERNATIVES) return undefined;
        out.push(...more);
      }
      return out;
    }
  }
  return [glob];
}

function parseSegment(seg: string): Segment {
  if (seg === '**') return 'globstar';
  const tokens: Token[] = [];
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '\\' && i + 1 < seg.length) tokens.push({ t: 'lit', c: seg[++i] });
    else if (c === '*') { if (tokens[tokens.length - 1]?.t !== 'star') tokens.push({ t: 'star' }); } // (** inside a segment is *)
    else if (c === '?') tokens.push({ t: 'any' });
    else if (c === '[') {
      const cls = parseClass(seg, i);
      if (cls) { tokens.push(cls.token); i = cls.end; } else tokens.push({ t: 'lit', c });
    } else tokens.push({ t: 'lit', c });
  }
  return tokens;
}

/** `[…]` starting at `start`: the class and the index of its `]`, or undefined when it does not close (a literal `[`). */
function parseClass(seg: string, start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  const negated = seg[i] === '!' || seg[i] === '^';
  if (negated) i++;
  const ranges: [string, string][] = [];
  for (let first = true; i < seg.length; first = false) {
    if (seg[i] === ']' && !first) return { token: { t: 'class', negated, ranges }, end: i };
    let lo = seg[i];
    if (lo === '\\' && i + 1 < seg.length) lo = seg[++i];
    i++;
    let hi = lo;
    if (seg[i] === '-' && i + 1 < seg.length && seg[i + 1] !== ']') {
      hi = seg[i + 1];
      if (hi === '\\' && i + 2 < seg.length) { hi = seg[i + 2]; i++; }
      i += 2;
    }
    ranges.push([lo, hi]);
  }
  return undefined;
}

function matchesOne(t: Token, c: string): boolean {
  switch (t.t) {
    case 'lit': return t.c === c;
    case 'any': return true;
    case 'class': return t.ranges.some(([lo, hi]) => c >= lo && c <= hi) !== t.negated;
    case 'star': return false;
  }
}

/** One pattern segment against one path segment (no `/` in either): O(tokens × characters). */
function matchSegment(tokens: Token[], s: string): boolean {
  let ti = 0, si = 0, starT = -1, starS = 0;
  while (si < s.length) {
    const t = tokens[ti];
    if (t && t.t === 'star') { starT = ti++; starS = si; } // the star takes nothing yet
    else if (t && matchesOne(t, s[si])) { ti++; si++; }
    else if (starT >= 0) { ti = starT + 1; si = ++starS; } // the last star takes one more character
    else return false;
  }
  while (tokens[ti]?.t === 'star') ti++;
  return ti === tokens.length;
}

/**
 * Pattern segments against path segments: reach[j] says the pattern so far can end after j path segments.
 * `lastTakesOne`: a trailing `**` matches one or more segments, not none (see compileGlob).
 */
function matchSegments(pattern: Segment[], segs: string[], lastTakesOne: boolean): boolean {
  let reach = segs.map((_, j) => j === 0).concat(segs.length === 0);
  pattern.forEach((ps, i) => {
    const next = new Array<boolean>(segs.length + 1).fill(false);
    if (ps === 'globstar') {
      const atLeastOne = lastTakesOne && i === pattern.length - 1; // (a trailing `**` that must take a segment)
      let any = false;
      for (let j = 0; j <= segs.length; j++) { if (atLeastOne) { next[j] = any; any ||= reach[j]; } else next[j] = any ||= reach[j]; }
    }
    else for (let j = 0; j < segs.length; j++) if (reach[j] && matchSegment(ps, segs[j])) next[j + 1] = true;
    reach = next;
  });
  return reach[segs.length];
}
