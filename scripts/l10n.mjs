// Extracts every vscode.l10n.t('…') string of src/extension into l10n/bundle.l10n.json (the English bundle,
// also the list that translations must cover). `--check` fails when a translation misses or has extra keys.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'src/extension');
const keys = new Set();
for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts')).sort()) {
  const src = fs.readFileSync(path.join(dir, f), 'utf8');
  for (const m of src.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) keys.add(m[1].replace(/\\'/g, "'").replace(/\\\\/g, '\\'));
}
const bundle = Object.fromEntries([...keys].sort().map((k) => [k, k]));
const out = path.join(root, 'l10n/bundle.l10n.json');
if (process.argv.includes('--check')) {
  let bad = 0;
  for (const f of fs.readdirSync(path.join(root, 'l10n')).filter((x) => /^bundle\.l10n\..+\.json$/.test(x))) {
    const t = JSON.parse(fs.readFileSync(path.join(root, 'l10n', f), 'utf8'));
    for (const k of keys) if (!(k in t)) { console.error(`${f}: missing "${k}"`); bad++; }
    for (const k of Object.keys(t)) if (!keys.has(k)) { console.error(`${f}: unused "${k}"`); bad++; }
  }
  process.exit(bad ? 1 : 0);
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(bundle, null, 2) + '\n');
console.log(`${keys.size} strings → ${path.relative(root, out)}`);
