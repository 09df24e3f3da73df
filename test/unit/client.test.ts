import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import type { DocumentAnalysis } from '../../src/core/analysis';
import type { FromWorker, InitResult, Method, Params, Request, ToWorker } from '../../src/worker/protocol';
import { AnalysisService, CancellationSource, CancelledError, restartDelay, ServiceOptions, WorkerConnection, WorkerLike } from '../../src/worker/client';

/**
 * A stand-in for dist/worker.js: it records what it is sent and answers only when the test says, except `init`
 * (answered at once unless `holdInit`); a cancel for a request it has not answered is answered `cancelled`,
 * as the real worker does for an interactive request still queued.
 */
class FakeWorker extends EventEmitter implements WorkerLike {
  readonly sent: ToWorker[] = [];
  private readonly open = new Set<number>();
  terminated = false;
  constructor(private readonly holdInit = false) { super(); }

  postMessage(m: ToWorker): void {
    this.sent.push(m);
    // ends itself where it stands, as the real worker does (process.exit between two pieces of work)
    if (m.method === 'shutdown') { this.crash(0); return; }
    if (m.method === 'cancel') {
      if (this.open.delete(m.target)) this.reply({ kind: 'error', id: m.target, error: 'cancelled', cancelled: true });
      return;
    }
    this.open.add(m.id);
    if (m.method === 'init' && !this.holdInit) this.answer(m.id, initResult((m.params as Params<'init'>).backend));
  }

  requests(method: Method) { return this.sent.filter((m): m is Request<Method> => m.method === method); }
  cancels() { return this.sent.flatMap((m) => (m.method === 'cancel' ? [m.target] : [])); }

  answer(id: number, result: unknown): void { this.open.delete(id); this.reply({ kind: 'result', id, result } as FromWorker); }
  reply(m: FromWorker): void { queueMicrotask(() => this.emit('message', m)); }
  /** dies as a crash would */
  crash(code = 1): void { queueMicrotask(() => this.emit('exit', code)); }
  terminate(): Promise<number> { this.terminated = true; this.crash(1); return Promise.resolve(1); }
}

const initResult = (backend: InitResult['backend']): InitResult => ({ backend, loadMs: { segmenter: 0, model: 0 }, dictionaryErrors: [], memoryMB: 0 });
const analysis = (path: string, title: string): DocumentAnalysis => ({ path, title, dateline: null, date: null, entities: [] } as unknown as DocumentAnalysis);
/** lets the queued messages and the promise callbacks behind them run (no timer involved) */
const settle = () => new Promise((r) => setImmediate(r));

/** A service over fake workers, with open documents the test edits, its events and its scheduled restarts. */
function harness(opts: { holdInit?: boolean } = {}) {
  const workers: FakeWorker[] = [];
  const docs = new Map<string, { version: number; text: string }>();
  const events: string[] = [];
  const restarts: { ms: number; run: () => void }[] = [];
  const options: ServiceOptions = {
    spawn: () => { const w = new FakeWorker(opts.holdInit); workers.push(w); return w; },
    backend: 'nodejieba',
    dictionary: () => ({}),
    current: (key) => { const d = docs.get(key); return d && { version: d.version, params: { path: key, text: d.text } }; },
    events: {
      analysed: (key, a, again) => events.push(`${again ? 'again' : 'analysed'} ${key} ${a.title}`),
      crashed: (e, n, fellBack) => events.push(`crashed ${n}${fellBack ? ' fell back' : ''}: ${e.message}`),
    },
    schedule: (run, ms) => { restarts.push({ ms, run }); return { cancel: () => undefined }; },
  };
  const service = new AnalysisService(options);
  const open = (key: string, version: number, text = 'text') => docs.set(key, { version, text });
  return { service, workers, docs, events, restarts, open };
}

describe('analysis client (worker/client.ts) over a fake worker', () => {
  it('a connection delivers progress then the result, tells the worker once to drop a cancelled request, and fails what is out when the worker exits', async () => {
    const w = new FakeWorker();
    const c = new WorkerConnection(w);
    const progress: number[] = [];
    const batch = c.request('analyseFiles', { files: ['a', 'b'], maxBytes: 1, known: {} }, { onProgress: (p) => progress.push(p.done) });
    const source = new CancellationSource();
    const dropped = c.request('outline', { text: 't' }, { token: source.token });
    const early = new CancellationSource();
    early.cancel();
    const never = c.request('outline', { text: 'u' }, { token: early.token });
    const [b, o, n] = w.requests('analyseFiles').concat(w.requests('outline'));
    w.reply({ kind: 'progress', id: b.id, progress: { done: 1, total: 2, results: [] } });
    w.reply({ kind: 'progress', id: b.id, progress: { done: 2, total: 2, results: [] } });
    w.answer(b.id, { total: 2 });
    assert.deepEqual(await batch, { total: 2 });
    assert.deepEqual(progress, [1, 2]);
    source.cancel();
    source.cancel();
    await assert.rejects(dropped, CancelledError);
    await assert.rejects(never, CancelledError);
    assert.deepEqual(w.cancels(), [n.id, o.id]);
    const out = c.request('check', { text: 't', options: { severities: {}, startYear: 1990, separator: '  ' } });
    w.crash(3);
    await assert.rejects(out, /^Error: the analysis worker stopped \(exit code 3\)$/);
  });

  it('one caller that stops waiting (a scrolled-away range) leaves the shared result to the others, and onDidAnalyse fires', async () => {
    const { service, workers, events, open } = harness();
    open('a', 1);
    // the range semantic-tokens request comes first, then the document analyser asks for the same version
    const range = new CancellationSource();
    const fromRange = service.analyse('a', 1, { path: 'a', text: 'text' }, range.token);
    const analyser = new CancellationSource();
    const fromAnalyser = service.analyse('a', 1, { path: 'a', text: 'text' }, analyser.token);
    await settle();
    const [w] = workers;
    const [req] = w.requests('analyse');
    assert.equal(w.requests('analyse').length, 1, 'the two callers share one request');
    range.cancel(); // the user scrolled
    await assert.rejects(fromRange, CancelledError);
    w.answer(req.id, analysis('a', 'v1'));
    assert.equal((await fromAnalyser).title, 'v1');
    await settle();
    assert.deepEqual(events, ['analysed a v1']);
    assert.deepEqual(w.cancels(), [], 'the worker was never told to drop it');
    assert.equal((await service.cached('a', 1))?.title, 'v1');
  });

  it('a new version cancels the old one\'s request; only the new one is announced', async () => {
    const { service, workers, events, open } = harness();
    open('a', 1);
    const v1 = service.analyse('a', 1, { path: 'a', text: 'one' });
    await settle();
    open('a', 2);
    const v2 = service.analyse('a', 2, { path: 'a', text: 'two' });
    await settle();
    const [w] = workers;
    const [r1, r2] = w.requests('analyse');
    assert.deepEqual(w.cancels(), [r1.id]);
    await assert.rejects(v1, CancelledError);
    w.answer(r2.id, analysis('a', 'v2'));
    assert.equal((await v2).title, 'v2');
    await settle();
    assert.deepEqual(events, ['analysed a v2']);
    assert.equal(service.cached('a', 1), undefined);
  });

  it('forget (the document closed) cancels its request and nothing is announced', async () => {
    const { service, workers, events, open } = harness();
    open('a', 1);
    const v1 = service.analyse('a', 1, { path: 'a', text: 'one' });
    await settle();
    service.forget('a');
    await assert.rejects(v1, CancelledError);
    assert.deepEqual(workers[0].cancels(), [workers[0].requests('analyse')[0].id]);
    assert.equal(service.cached('a', 1), undefined);
    assert.deepEqual(events, []);
  });

  it('nodejieba taking over analyses open documents again; each keeps its result until the new one lands', async () => {
    const { service, workers, events, open, docs } = harness();
    open('a', 1, 'A');
    open('b', 1, 'B');
    const a = service.analyse('a', 1, { path: 'a', text: 'A' });
    const b = service.analyse('b', 1, { path: 'b', text: 'B' });
    await settle();
    const [w] = workers;
    const [ra, rb] = w.requests('analyse');
    w.answer(ra.id, analysis('a', 'quick'));
    w.answer(rb.id, analysis('b', 'quick'));
    await Promise.all([a, b]);
    docs.delete('b'); // closed meanwhile
    w.reply({ kind: 'upgraded', info: initResult('nodejieba') });
    await settle();
    const again = w.requests('analyse').slice(2);
    assert.deepEqual(again.map((r) => r.params), [{ path: 'a', text: 'A' }]);
    assert.equal((await service.cached('a', 1))?.title, 'quick', 'the quick-start result serves until the new one lands');
    assert.equal(service.cached('b', 1), undefined);
    w.answer(again[0].id, analysis('a', 'nodejieba'));
    await settle();
    assert.equal((await service.cached('a', 1))?.title, 'nodejieba');
    assert.deepEqual(events, ['analysed a quick', 'analysed b quick', 'again a nodejieba']);
  });

  it('a crash fails the requests out, and the restart backs off 0.5 s, doubling to 30 s; nodejieba gives way to jieba-wasm after two crashes in a row', async () => {
    const { service, workers, events, restarts } = harness({ holdInit: true });
    const first = service.request('check', { text: 't', options: { severities: {}, startYear: 1990, separator: '  ' } });
    await settle();
    workers[0].crash(134);
    await assert.rejects(first, /the analysis worker stopped \(exit code 134\)/);
    for (let n = 2; n <= 9; n++) {
      assert.equal(restarts.length, n - 1);
      restarts[n - 2].run();
      await settle();
      workers[n - 1].crash(134);
      await settle();
    }
    assert.deepEqual(restarts.map((r) => r.ms), [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    assert.deepEqual(restarts.map((_, i) => restartDelay(i + 1)), [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    assert.deepEqual(workers.map((w) => (w.requests('init')[0]?.params as Params<'init'> | undefined)?.backend), ['nodejieba', 'nodejieba', ...Array(7).fill('jieba-wasm')]);
    assert.deepEqual(events.slice(0, 3), [
      'crashed 1: the analysis worker stopped (exit code 134)',
      'crashed 2 fell back: the analysis worker stopped (exit code 134)',
      'crashed 3: the analysis worker stopped (exit code 134)',
    ]);
  });

  it('a worker that got ready counts its crash as the first again', async () => {
    const { service, workers, restarts } = harness();
    void service.request('outline', { text: 't' }).catch(() => undefined);
    await settle();
    workers[0].crash();
    await settle();
    restarts[0].run();
    await settle();
    workers[1].crash();
    await settle();
    assert.deepEqual(restarts.map((r) => r.ms), [500, 500]);
  });

  it('restart (corpusLens.segmenter changed) ends the worker and analyses the open documents again with the new segmenter', async () => {
    const { service, workers, events, open, docs } = harness();
    open('a', 3, 'A');
    open('b', 1, 'B');
    const a = service.analyse('a', 3, { path: 'a', text: 'A' });
    const b = service.analyse('b', 1, { path: 'b', text: 'B' });
    await settle();
    const [old] = workers;
    old.answer(old.requests('analyse')[0].id, analysis('a', 'nodejieba'));
    await a;
    docs.delete('b'); // closed
    const pendingB = b;
    service.restart('jieba-wasm');
    await assert.rejects(pendingB, CancelledError);
    await settle();
    // asked to end itself, not ended from outside (which aborts the process when it is inside nodejieba)
    assert.deepEqual(old.sent.at(-1), { method: 'shutdown' });
    assert.equal(old.terminated, false);
    assert.equal(workers.length, 2);
    const fresh = workers[1];
    assert.deepEqual(fresh.requests('init').map((r) => r.params), [{ backend: 'jieba-wasm', dictionary: {}, quickStart: false }]);
    assert.deepEqual(fresh.requests('analyse').map((r) => r.params), [{ path: 'a', text: 'A' }]);
    fresh.answer(fresh.requests('analyse')[0].id, analysis('a', 'jieba-wasm'));
    await settle();
    assert.equal((await service.cached('a', 3))?.title, 'jieba-wasm');
    assert.deepEqual(events, ['analysed a nodejieba', 'again a jieba-wasm'], 'the old worker\'s exit is no crash');
    assert.equal(service.currentBackend, 'jieba-wasm');
  });

  it('dispose ends the worker and nothing restarts it', async () => {
    const { service, workers, restarts, events } = harness();
    void service.request('outline', { text: 't' }).catch(() => undefined);
    await settle();
    service.dispose();
    await settle();
    assert.deepEqual(workers[0].sent.at(-1), { method: 'shutdown' });
    assert.equal(workers[0].terminated, false);
    assert.deepEqual(restarts, []);
    assert.deepEqual(events, []);
  });

  it('stopped() resolves when the disposed service\'s worker has exited, not before', async () => {
    const { service, workers } = harness();
    void service.request('outline', { text: 't' }).catch(() => undefined);
    await settle();
    const [w] = workers;
    // this worker takes its time to end (its shutdown: the index closed, its heap released)
    const post = w.postMessage.bind(w);
    w.postMessage = (m) => { if (m.method === 'shutdown') w.sent.push(m); else post(m); };
    service.dispose();
    let stopped = false;
    void service.stopped().then(() => { stopped = true; });
    await settle();
    assert.equal(stopped, false);
    w.crash(0);
    await settle();
    assert.equal(stopped, true);
  });
});
