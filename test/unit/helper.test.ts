import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnalysisHelper, HELPER_MIN_FILES } from '../../src/worker/helper';

describe('the index run\'s helper thread (worker/helper.ts)', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-helper-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts only with two cores, enough files left and a worker bundle', () => {
    const file = path.join(dir, 'w.js');
    fs.writeFileSync(file, '');
    const init = { backend: 'jieba-wasm' as const, dictionary: {} };
    assert.equal(AnalysisHelper.start(file, init, HELPER_MIN_FILES, 1), undefined);
    assert.equal(AnalysisHelper.start(file, init, HELPER_MIN_FILES - 1, 2), undefined);
    assert.equal(AnalysisHelper.start(path.join(dir, 'w.ts'), init, HELPER_MIN_FILES, 2), undefined);
  });

  it('a helper that dies is left: its groups are refused (the run analyses them itself) and stopping it does not wait', async () => {
    const file = path.join(dir, 'dies.js');
    fs.writeFileSync(file, 'process.exit(3);\n');
    const h = AnalysisHelper.start(file, { backend: 'jieba-wasm', dictionary: {} }, HELPER_MIN_FILES, 2)!;
    await assert.rejects(h.analyse([{ path: 'a.txt', text: '北京' }]));
    assert.equal(h.usable, false);
    assert.match(h.reason ?? '', /did not start|exited/);
    await h.stop(); // (resolves: a thread that has exited is not waited for)
    await h.stop();
  });
});
