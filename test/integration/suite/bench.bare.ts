// The extension-host benchmark's control without Corpus Lens (npm run bench:host, its second run): the same typing
// in the same 1 MB article in an extension host where Corpus Lens is not installed at all (the development
// extension is an empty one that bench-host.mjs writes). What the host blocks for here, no extension can remove.
// Loaded by index.ts only when CORPUS_LENS_BENCH=bare; writes its figures to CORPUS_LENS_BENCH_OUT.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { EXTENSION_ID, openDoc } from './util';
import { recordTyping, typeMedian } from './typing';

const figures: Record<string, number | string> = {};

describe('bench (bare extension host, without Corpus Lens)', function () {
  this.timeout(600000);

  it('event-loop blocking while typing in the 1 MB article', async () => {
    if (vscode.extensions.getExtension(EXTENSION_ID)) throw new Error('Corpus Lens is installed: this control must run without it');
    const { doc, editor } = await openDoc('bench-1mb.corpus');
    const typed = await typeMedian(editor, doc);
    recordTyping(figures, typed.median, [
      'bare host (Corpus Lens not installed): longest event-loop block typing in the 1 MB article (median of 3 passes), ms', 'bare host: event-loop delay p99, same, ms',
      'bare host: longest garbage-collection pause, same, ms', 'bare host: major garbage collections, same', 'bare host: V8 heap in use after the typing, MB']);
    figures['bare host: the same, each pass, ms'] = typed.each;
  });

  after(() => {
    const out = process.env.CORPUS_LENS_BENCH_OUT;
    if (out) fs.writeFileSync(out, JSON.stringify(figures, null, 2));
  });
});
