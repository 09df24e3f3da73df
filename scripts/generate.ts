// Writes the parts of package.json, package.nls.json and README.md that are made from RULES and SETTINGS
// (scripts/manifest.ts):  npx tsx scripts/generate.ts [--check]
// --check writes nothing and exits 1 when a file differs from what it would write (the unit suite checks the same).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate, GENERATED, GeneratedFile } from './manifest';

const root = path.resolve(__dirname, '..');
const current = Object.fromEntries(GENERATED.map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')])) as Record<GeneratedFile, string>;
const next = generate(current);
const changed = GENERATED.filter((f) => next[f] !== current[f]);
if (process.argv.includes('--check')) {
  for (const f of changed) console.error(`${f} is not what npm run generate writes`);
  process.exit(changed.length ? 1 : 0);
}
for (const f of changed) fs.writeFileSync(path.join(root, f), next[f]);
console.log(changed.length ? `wrote ${changed.join(', ')}` : 'up to date');
