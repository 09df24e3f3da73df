import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { WorkerConnection } from '../../src/worker/client';
import { AnalysisHelper, HELPER_MIN_FILES } from '../../src/worker/helper';
import { BACKGROUND_NICE, lowerThreadPriority, threadOsId } from '../../src/worker/priority';

const WORKER = path.resolve(__dirname, '../../dist/worker.js');
/** every thread of this process with its nice value (Linux: /proc/self/task/TID/stat, field 19) */
function niceOfThreads(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of fs.readdirSync('/proc/self/task')) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // (the command name in brackets may hold spaces: the fields are counted after its closing bracket)
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(fields[16]));
    } catch { /* a thread that ended meanwhile */ }
  }
  return out;
}
/** the threads of this process running below its main thread (BACKGROUND_NICE lower, or at 19) */
const lowered = () => { const main = os.getPriority(); return [...niceOfThreads().values()].filter((n) => n === Math.min(19, main + BACKGROUND_NICE) && n > main).length; };

describe('background threads run below the extension host (worker/priority.ts)', function () {
  this.timeout(60000);
  before(function () {
    // (a thread's own priority is Linux's: elsewhere nothing is done; a test process already at nice 19 cannot go lower)
    if (process.platform !== 'linux' || os.getPriority() >= 19) this.skip();
    if (!fs.existsSync(WORKER)) throw new Error('dist/worker.js is missing: run npm run build first');
  });

  it('never lowers the process\'s main thread', () => {
    assert.equal(threadOsId(), process.pid);
    const before = os.getPriority();
    assert.equal(lowerThreadPriority(), undefined);
    assert.equal(os.getPriority(), before);
  });

  it('the extension\'s worker (workerData background) lowers its own thread only; the command line\'s does not', async () => {
    assert.equal(lowered(), 0, 'no thread of the test process is lowered to begin with');
    const main = os.getPriority();
    for (const background of [false, true]) {
      const w = new Worker(WORKER, background ? { workerData: { background: true } } : undefined);
      const c = new WorkerConnection(w);
      try {
        await c.request('outline', { text: '标题\n\n17.10.2018  06:24\n\n正文。\n' }); // (its first lines have run)
        assert.equal(lowered(), background ? 1 : 0, `background ${background}`);
        assert.equal(os.getPriority(), main, 'the main thread keeps its priority');
      } finally {
        await w.terminate();
      }
    }
  });

  it('a background worker\'s helper thread is started in the background too', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-priority-'));
    try {
      const file = path.join(dir, 'w.js');
      // (a stand-in for the worker bundle: it writes down what it was given, then ends)
      fs.writeFileSync(file, `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'data.json'))}, JSON.stringify(require('worker_threads').workerData)); process.exit(0);\n`);
      for (const background of [true, false]) {
        const h = AnalysisHelper.start(file, { backend: 'jieba-wasm', dictionary: {} }, HELPER_MIN_FILES, 2, background)!;
        await assert.rejects(h.analyse([{ path: 'a.txt', text: '北京' }]));
        await h.stop();
        assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'data.json'), 'utf8')), { background });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
