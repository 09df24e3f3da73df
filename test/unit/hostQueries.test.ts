// Issue 20: the extension's features ask the corpus index (CorpusQueries) instead of holding it: every adapter goes
// through `indexer.queries` (or the cheap `has`/`size`), and the indexer asks the worker's database.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const EXTENSION = path.join(__dirname, '..', '..', 'src', 'extension');

/** `indexer.index`, `this.indexer.index`, `{ index } = indexer` and `indexer['index']`, in any spacing */
export const READS_INDEX = /\bindexer\s*(?:\?\.|\.)\s*index\b|\bindexer\s*\[\s*['"`]index['"`]\s*\]|\{[^}]*\bindex\b[^}]*\}\s*=\s*(?:this\.)?indexer\b/;

describe('the extension asks the corpus index, it does not hold it (issue 20)', () => {
  it('the pattern finds every way of reaching the indexer\'s CorpusIndex, and nothing else', () => {
    for (const s of ['this.indexer.index.entities()', 'indexer.index.get(f)', 'indexer?.index.size', 'indexer\n      .index.files()', "indexer['index']", 'const { index } = this.indexer;']) assert.match(s, READS_INDEX, s);
    for (const s of ['indexer.queries.entities()', 'indexer.has(f)', 'indexer.size', 'this.index = 0', 'reindex(indexer)', 'indexer.indexed']) assert.doesNotMatch(s, READS_INDEX, s);
  });

  it('no file under src/extension but corpusIndexer.ts reads the indexer\'s index', () => {
    const offenders: string[] = [];
    for (const name of fs.readdirSync(EXTENSION, { recursive: true }) as string[]) {
      if (!name.endsWith('.ts') || path.basename(name) === 'corpusIndexer.ts') continue;
      const lines = fs.readFileSync(path.join(EXTENSION, name), 'utf8').split('\n');
      // (a statement may span lines: each line is read with the next)
      lines.forEach((l, i) => { if (READS_INDEX.test(`${l}\n${lines[i + 1] ?? ''}`) && !READS_INDEX.test(lines[i + 1] ?? '')) offenders.push(`${name}:${i + 1}: ${l.trim()}`); });
    }
    assert.deepEqual(offenders, []);
  });

  it('the indexer holds no analysis: its questions go to the worker\'s database, its one CorpusIndex is the empty one', () => {
    const src = fs.readFileSync(path.join(EXTENSION, 'corpusIndexer.ts'), 'utf8');
    assert.match(src, /readonly queries: CorpusQueries = new WorkerCorpusQueries\(/);
    assert.deepEqual(src.match(/new CorpusIndex\(\)[^;\n]*/g), ['new CorpusIndex(), () => undefined)']);
    assert.doesNotMatch(src, /\bthis\.empty\b(?!\[member\])/, 'the empty index only answers, it is never written');
  });
});
