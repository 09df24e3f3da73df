// Extracts every l10n.t('…') string into l10n/bundle.l10n.json (the English bundle, also the list that translations
// must cover): vscode.l10n.t of src/extension and @vscode/l10n's l10n.t of src/core (rule messages and fix titles,
// produced in the extension host, the worker and the CLI). `--check` fails when the English bundle is not what the
// code uses or a translation misses or has extra keys.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['src/extension', 'src/core'];

/** The .ts files under dir, recursively, in a stable order. */
function tsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every string the code passes to l10n.t as its first argument (a single-quoted literal). */
export function usedStrings() {
  const keys = new Set();
  for (const f of SOURCES.flatMap((d) => tsFiles(path.join(root, d)))) {
    const src = fs.readFileSync(f, 'utf8');
    for (const m of src.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) keys.add(m[1].replace(/\\'/g, "'").replace(/\\\\/g, '\\'));
  }
  return keys;
}

/** What is wrong with the bundles of `dir` (the English one and each translation) for these keys: one line each. */
export function bundleProblems(dir, keys) {
  const problems = [];
  for (const f of fs.readdirSync(dir).filter((x) => /^bundle\.l10n(\..+)?\.json$/.test(x)).sort()) {
    const t = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    for (const k of keys) if (!(k in t)) problems.push(`${f}: missing "${k}"`);
    for (const k of Object.keys(t)) if (!keys.has(k)) problems.push(`${f}: unused "${k}"`);
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const keys = usedStrings();
  const out = path.join(root, 'l10n/bundle.l10n.json');
  if (process.argv.includes('--check')) {
    const problems = bundleProblems(path.join(root, 'l10n'), keys);
    for (const p of problems) console.error(p);
    process.exit(problems.length ? 1 : 0);
  }
  const bundle = Object.fromEntries([...keys].sort().map((k) => [k, k]));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(bundle, null, 2) + '\n');
  console.log(`${keys.size} strings → ${path.relative(root, out)}`);
}
