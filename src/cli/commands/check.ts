/**
 * corpus-lens check PATH... [--format text|json] [--fix [--only PATTERN] [--rules A,B]] [--max-size MB] [--start-year YYYY]
 *   [--files-from FILE|-] [--shard K/N]
 * Text: path:line:column severity code message (1-based). JSON: 0-based lines, UTF-16 characters.
 */
import { parseArgs } from 'node:util';
import { resolveRuleOptions, ConfigCache, ConfigProblem } from '../../core/config';
import { decodeCorpusBytes, DEFAULT_MAX_BYTES, readCorpusFile } from '../../core/files';
import { applySafeFixes, formatRuleCounts, checkArticle, fileFinding, RULE_CODES, RuleCode, RuleOptions, RULES, selectRules } from '../../core/rules';
import { SETTINGS, SEVERITY_SETTINGS } from '../../core/settings';
import { LineIndex } from '../../core/text';
import { parseArticle } from '../../core/article';
import { corpusDatelineRange, datelineOrderBreaks, datelineOrderFinding, datelineRangeFinding } from '../../core/consistency';
import { datelineValue } from '../../core/dateline';
import { CliIO, displayPath, EXIT, output, printable, printPath, UsageError } from '../io';
import { FixRun, readSnapshot, signalExit } from '../../core/safeWrite';
import { jsonText } from '../../core/export/writers';
import { count } from '../plural';
import { collectInputs, parseShard, readFilesFrom } from '../inputs';

/** `items` joined with ", " in lines of at most `width` characters (the comma included), each line indented. */
function wrap(items: string[], indent: string, width: number): string {
  const lines: string[] = [];
  for (const item of items) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 3 + item.length <= width) lines[last] += `, ${item}`;
    else lines.push(indent + item);
  }
  return lines.join(',\n');
}

const HELP = `Usage: corpus-lens check PATH... [--format text|json] [--fix [--only PATTERN] [--rules A,B]] [--max-size MB]
                          [--start-year YYYY] [--files-from FILE|-] [--shard K/N]

Checks articles (.txt and .corpus files; folders recursively) for malformed datelines and other corpus faults.
  --format text|json  text: path:line:column severity code message (1-based);
                      json: {"diagnostics":[{path, range (0-based, UTF-16), severity, code, message}]}
  --fix               apply the unambiguous fixes in place and say what changed. Only the fixed bytes change:
                      the BOM, line ends, mode, owner and links stay (a link's target is fixed). A read-only
                      file, one that changed while it was being fixed or one another program still has
                      open for writing is left alone with a message
  --only PATTERN      with --fix: fix only the rules PATTERN names, a rule code or a glob over the codes
                      ('dateline-*'); may be given more than once. The report still lists every finding
  --rules A,B         with --fix: the same, for several codes or globs separated by commas
                      (--rules dateline-format,paragraph-indent); a pattern that names no rule is exit 2
  --max-size MB       skip files larger than this (default ${DEFAULT_MAX_BYTES / 1048576})
  --start-year YYYY   datelines before this year are flagged (default ${SETTINGS['dateline.startYear'].default})
  --files-from FILE|- also the paths in FILE (- for stdin), one a line; blank lines are ignored
  --shard K/N         only the files of shard K of N (K from 1 to N), as extract --shard chooses them
A .corpus-lens.json in a folder sets rule severities for the files below it (${SEVERITY_SETTINGS.join(', ')}).
The rules, with their default severities (README.md describes each):
${wrap(RULE_CODES.map((c) => `${c} (${RULES[c].severity})`), '  ', 110)}
Files that are not UTF-8 get file-encoding (an error, with the likely encoding); binary files are skipped.
Only regular files are read, each folder once: named pipes, devices, links to nothing or in a loop are skipped
with one line each, without changing the exit code.
Exit: 0 no errors; 1 errors found, or (--fix) a file left unfixed (read-only, changed, being written);
2 could not run (bad arguments, a path, file or folder that cannot be read, output or a fix that could not be
written: the file is as it was; a folder or file met on the way is reported and the rest is still checked);
stopped by a signal between files: 128 + its number (130 for Ctrl-C).
`;

export async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, strict: true,
    options: {
      format: { type: 'string', default: 'text' }, fix: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true }, rules: { type: 'string', multiple: true },
      'max-size': { type: 'string' }, 'start-year': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      shard: { type: 'string' }, 'files-from': { type: 'string' },
    },
  });
  const stdout = output(io.stdout);
  if (values.help) { stdout.write(HELP); return EXIT.ok; }
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not "${values.format}"`);
  if (positionals.length === 0 && values['files-from'] === undefined) throw new UsageError('no PATH given (a file or folder of articles)\n\n' + HELP);
  const maxBytes = values['max-size'] !== undefined ? Number(values['max-size']) * 1048576 : DEFAULT_MAX_BYTES;
  if (!(maxBytes > 0)) throw new UsageError(`--max-size must be a positive number of MB, not "${values['max-size']}"`);
  const patterns = [...(values.only ?? []), ...(values.rules ?? []).flatMap((r) => r.split(','))];
  let only: RuleCode[] | undefined;
  if (patterns.length) {
    if (!values.fix) throw new UsageError('--only and --rules choose the rules that --fix fixes: add --fix');
    try { only = selectRules(patterns); } catch (e) { throw new UsageError((e as Error).message); }
  }
  const base: RuleOptions = {};
  if (values['start-year'] !== undefined) {
    const y = Number(values['start-year']);
    if (!Number.isInteger(y)) throw new UsageError(`--start-year must be a year, not "${values['start-year']}"`);
    base.startYear = y;
  }
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  const walk = collectInputs([...positionals, ...(values['files-from'] === undefined ? [] : await readFilesFrom(values['files-from'], io))], shard);
  const { files, missing } = walk;
  if (missing.length) throw new UsageError(`cannot read ${missing.map((m) => `"${printable(m)}"`).join(', ')}: no such file or folder`);
  // (what the walk left out: named pipes, devices, links to nothing or in a loop, folders that cannot be read)
  for (const s of walk.skipped) io.stderr.write(`corpus-lens check: ${printable(s.message)}\n`);

  const configProblems: ConfigProblem[] = [];
  // each folder's config looked up once in the run, its problems told once
  const configs = new ConfigCache((ps) => configProblems.push(...ps), { run: true });
  const out: { path: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity: string; code: string; message: string }[] = [];
  let errors = 0, skipped = walk.skipped.length, unreadable = walk.skipped.filter((s) => s.unreadable).length;
  let unfixed = 0, unwritten = 0, notChecked = 0;
  const dated: { file: string; rel: string; dateline: string; date: string | null; at: { line: number; character: number }; opts: RuleOptions; after: number }[] = [];
  // --fix: first clean up after a killed run in these folders (stale temporary files, half-done writes)
  const fixRun = values.fix ? new FixRun() : undefined;
  for (const note of fixRun?.cleanFolders(files) ?? []) io.stderr.write(`corpus-lens check: ${printable(note)}\n`);
  for (const file of files) {
    const rel = displayPath(file);
    const read = readCorpusFile(file, maxBytes);
    const opts = resolveRuleOptions(file, base, configs);
    if (!read.ok) {
      io.stderr.write(`corpus-lens check: ${printable(read.message)}\n`); // (core's message begins with the path as given)
      skipped++;
      if (read.reason === 'unreadable') unreadable++;
      const code = read.reason === 'encoding' ? 'file-encoding' : read.reason === 'too-large' ? 'file-too-large' : undefined;
      for (const d of code ? fileFinding(code, read.message.slice(file.length + 2), opts) : []) {
        if (d.severity === 'error') errors++;
        out.push({ path: rel, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: d.severity, code: d.code, message: d.message });
      }
      continue;
    }
    let text = read.text;
    if (fixRun) {
      // a signal stops the run here, between files (never during a write)
      await fixRun.pause();
      if (fixRun.stopped) { notChecked = files.length - files.indexOf(file); break; }
      const fixed = applySafeFixes(text, opts, undefined, only);
      if (fixed.applied.length) {
        // the bytes and identity of the real file (behind any link) as they are now; the fix is written only if
        // they are what was checked and still hold at the write (core/safeWrite)
        let result;
        try {
          const snap = readSnapshot(file);
          const now = decodeCorpusBytes(snap.bytes, file, Infinity);
          result = now.ok && now.text === text ? fixRun.commit(snap, fixed.text)
            : { ok: false as const, reason: 'changed' as const, message: 'changed since it was read (its content changed); not fixed, run again when it is complete' };
        } catch (e) {
          result = { ok: false as const, reason: 'failed' as const, message: `cannot read it again to fix it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); the file is as it was` };
        }
        if (result.ok) {
          const counts = new Map<string, number>();
          for (const a of fixed.applied) counts.set(a.code, (counts.get(a.code) ?? 0) + 1);
          io.stderr.write(`fixed ${printable(rel)}: ${formatRuleCounts(counts)}\n`);
          text = fixed.text;
        } else {
          // its findings are reported as the file is; a write that failed is a "could not run" (2)
          io.stderr.write(`corpus-lens check: ${printPath(file)}: ${printable(result.message)}\n`);
          if (result.reason === 'failed') unwritten++; else unfixed++;
        }
      }
    }
    const lines = new LineIndex(text);
    // one parse serves the rules and the corpus's dateline findings
    const article = parseArticle(text);
    for (const d of checkArticle(article, opts)) {
      if (d.severity === 'error') errors++;
      out.push({ path: rel, range: lines.range(d), severity: d.severity, code: d.code, message: d.message });
    }
    // for the corpus's dateline findings, once every file is read: its dateline, date and where it stands
    const raw = article.dateline?.text ?? '';
    const dl = raw.trim();
    if (dl) dated.push({ file, rel, dateline: dl, date: datelineValue(dl)?.iso ?? null, at: lines.positionAt(article.dateline!.start + raw.length - raw.trimStart().length), opts, after: out.length });
  }
  fixRun?.close(); // (the loop throws only on an internal error, which ends the process)
  // dateline-out-of-range and -out-of-order compare each dateline with the other files checked: placed after the
  // file's own findings
  const range = corpusDatelineRange(dated.map((d) => d.date));
  const order = datelineOrderBreaks(dated);
  const extra: { after: number; row: (typeof out)[number] }[] = [];
  for (const d of dated) {
    for (const f of [datelineRangeFinding(d.dateline, d.dateline, d.date, range), datelineOrderFinding(d.dateline, d.dateline, order.get(d.file))]) {
      const severity = f && (d.opts.severities?.[f.code] ?? RULES[f.code].severity);
      if (!f || !severity || severity === 'off') continue;
      if (severity === 'error') errors++;
      extra.push({ after: d.after, row: { path: d.rel, range: { start: { line: d.at.line, character: d.at.character + f.start }, end: { line: d.at.line, character: d.at.character + f.end } }, severity, code: f.code, message: f.message } });
    }
  }
  for (const e of extra.reverse()) out.splice(e.after, 0, e.row);
  if (fixRun?.stopped) io.stderr.write(`corpus-lens check: stopped by ${fixRun.stopped}; ${count(notChecked, 'file')} not checked\n`);
  for (const p of configProblems) io.stderr.write(`corpus-lens check: ${printPath(p.file)}: ${printable(p.message)}\n`);
  // (a failed write throws: main ends the run with exit 2 and one line, and no summary is printed)
  if (values.format === 'json') {
    stdout.write(jsonText(JSON.stringify({ diagnostics: out }, null, 2)) + '\n'); // (JSON escapes control characters)
  } else {
    for (const d of out) stdout.write(`${printable(d.path)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}\n`);
    io.stderr.write(`${count(files.length - notChecked, 'file')} checked${skipped ? `, ${skipped} skipped` : ''}: ${count(errors, 'error')}, ${count(out.length - errors, 'other finding')}\n`);
  }
  if (fixRun?.stopped) return signalExit(fixRun.stopped);
  if (unreadable || unwritten) return EXIT.cannotRun;
  return errors > 0 || unfixed > 0 ? EXIT.problems : EXIT.ok;
}
