// The concordance's sort positions are jieba words: the analysis worker's `segment` (dist/worker.js) splits each
// context as the recogniser's segmenter does, white space left out.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { WorkerConnection } from '../../src/worker/client';

const WORKER = path.resolve(__dirname, '../../dist/worker.js');

describe('analysis worker: segment (the concordance\'s sort positions)', function () {
  this.timeout(60000);
  before(function () { if (!fs.existsSync(WORKER)) throw new Error('dist/worker.js is missing: run npm run build first'); });

  for (const backend of ['jieba-wasm', 'nodejieba'] as const) {
    it(`answers the words of each text, in order, white space left out (${backend})`, async () => {
      const w = new Worker(WORKER);
      try {
        const connection = new WorkerConnection(w);
        await connection.request('init', { backend, dictionary: {} });
        const words = await connection.request('segment', { texts: ['国家主席', '会见了客人。', '', '  在　2018年 GDP'] });
        assert.deepEqual(words, [['国家', '主席'], ['会见', '了', '客人', '。'], [], ['在', '2018', '年', 'GDP']]);
      } finally { await w.terminate(); }
    });
  }
});
