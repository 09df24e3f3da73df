import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

// The module specifiers a TypeScript file imports, type-only imports and re-exports included (a cycle of types
// still ties two modules together): `import … from`, `export … from`, `import '…'`, `import('…')`, `require('…')`.
const STATIC = /^\s*(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const BARE = /^\s*import\s*['"]([^'"]+)['"]/gm;
const CALL = /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
function specifiers(source: string): string[] {
  return [STATIC, BARE, CALL].flatMap((re) => [...source.matchAll(re)].map((m) => m[1]));
}
/** The .ts file a relative specifier names, or undefined (packages, JSON, other files). */
function resolveTs(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  return [base + '.ts', join(base, 'index.ts'), base].find((f) => f.endsWith('.ts') && existsSync(f));
}
/** The import graph reachable from `roots`, file → the files it imports. */
function importGraph(roots: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const todo = [...roots];
  for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
    if (graph.has(f)) continue;
    const deps = [...new Set(specifiers(readFileSync(f, 'utf8')).map((s) => resolveTs(f, s)).filter((d): d is string => d !== undefined))];
    graph.set(f, deps);
    todo.push(...deps);
  }
  return graph;
}
/** The cycles of a graph: its strongly connected components of two files or more, or of one that imports itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size); low.set(v, index.get(v)!); stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) { onStack.delete(w); scc.push(w); if (w === v) break; }
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

const NER = resolve(__dirname, '../../src/core/ner');
const SRC = resolve(__dirname, '../../src');

describe('ner imports', () => {
  it('src/core/ner has no import cycle, type-only imports included, nor one through the rest of src', () => {
    const roots = readdirSync(NER).filter((f) => f.endsWith('.ts')).map((f) => join(NER, f));
    const graph = importGraph(roots);
    assert.ok(graph.size >= roots.length);
    const found = cycles(graph).filter((c) => c.some((f) => f.startsWith(NER))).map((c) => c.map((f) => relative(SRC, f)));
    assert.deepEqual(found, []);
  });

  it('the walk sees type-only imports, multi-line re-exports, dynamic imports and a self-import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ner-imports-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = B;\n");
      writeFileSync(join(dir, 'b.ts'), "export {\n  x,\n} from './a';\nexport type B = number;\n");
      writeFileSync(join(dir, 'c.ts'), "/** no import here: from './a' */\nexport const load = () => import('./d');\n");
      writeFileSync(join(dir, 'd.ts'), "import './c';\nimport * as self from './d';\nimport data from './data.json';\n");
      const found = cycles(importGraph(['a.ts', 'c.ts'].map((f) => join(dir, f)))).map((c) => c.map((f) => relative(dir, f)));
      assert.deepEqual(found.sort(), [['a.ts', 'b.ts'], ['c.ts', 'd.ts']]);
      assert.deepEqual(cycles(new Map([['x', ['x']]])), [['x']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
