/**
 * The concordance search, in a worker thread of its own that lives for one search: a user's regular expression can
 * backtrack for minutes (ReDoS), and a RegExp cannot be interrupted from inside its thread, so the only sure stop is
 * to terminate the thread (searchClient.ts does, on cancel or timeout). The analysis worker never runs a user's
 * expression: a stuck one there would stall recognition for every open article.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ArticleSource, compileQuery, searchArticles } from '../core/concordance';
import { readCorpusFile } from '../core/files';
import { releaseHeapBeforeExit } from './heapRelease';
import type { SearchJob, SearchReply } from './searchClient';

const job = workerData as SearchJob;

function* articles(): Generator<ArticleSource> {
  for (const a of job.articles) {
    // an open editor's unsaved text wins; otherwise the file, decoded as the analysis worker decodes it (a BOM
    // dropped), so offsets fit the index's and the editor's
    let text = job.texts[a.file];
    if (text === undefined) {
      const read = readCorpusFile(a.file, job.maxBytes);
      if (!read.ok) continue;
      text = read.text;
    }
    yield { ...a, text };
  }
}

function reply(): SearchReply {
  const q = compileQuery(job.query);
  if (!q.ok) return { ok: false, message: q.message };
  return { ok: true, result: searchArticles(articles(), q.re, job.context, job.limits) };
}

let r: SearchReply;
try { r = reply(); } catch (e) { r = { ok: false, message: (e as Error).message }; }
parentPort!.postMessage(r);
// (then this thread's heap memory is given back here, not by the extension host's thread 8 s after it ends: heapRelease.ts)
releaseHeapBeforeExit();
