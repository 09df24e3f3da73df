/**
 * Precision per confidence band of 0.05 on the validation splits, and what each threshold would leave certain
 * (not a test; how corpusLens.entities.confidenceThreshold was chosen, models/README.md):
 *
 *   npm run build && node dist/train.js --validate        (a model that never saw the splits: $TMPDIR/corpus-lens-validation.model)
 *   npx tsx scripts/confidence-bands.ts MODEL [DATA=../shared/data/ner]
 *
 * The model's calibration is its header's, else MODEL.json's (copy models/ner.model.json beside it for the shipped one).
 */
import { buildRecogniser } from '../src/cli/commands/tag';
import { validationSets } from '../src/core/ner/benchmark';
import { judgeMentions, JudgedMention } from '../src/core/ner/eval';

const [model, data = '../shared/data/ner'] = process.argv.slice(2);
if (!model) { process.stderr.write('usage: npx tsx scripts/confidence-bands.ts MODEL [DATA]\n'); process.exit(2); }
const recogniser = buildRecogniser(['--model', model], { stdout: process.stdout, stderr: process.stderr } as never);
const precision = (a: JudgedMention[]) => (a.length ? (100 * a.filter((m) => m.correct).length / a.length).toFixed(1) : '-');
for (const set of validationSets(data)) {
  const pred = set.sentences.map((s) => recogniser.recognise(s.text).map((m) => ({ start: m.start, end: m.end, type: m.type, confidence: m.confidence })));
  const judged = judgeMentions(set.sentences, pred);
  console.log(`\n${set.name}: ${judged.length} mentions, precision ${precision(judged)}`);
  for (let k = 6; k < 20; k++) {
    const lo = k / 20, hi = (k + 1) / 20;
    const band = judged.filter((m) => m.confidence >= lo && m.confidence < hi);
    const certain = judged.filter((m) => m.confidence >= lo), uncertain = judged.filter((m) => m.confidence < lo);
    console.log(`${lo.toFixed(2)}–${hi.toFixed(2)}: ${String(band.length).padStart(4)} mentions, precision ${precision(band).padStart(5)} | threshold ${lo.toFixed(2)}: `
      + `${(100 * certain.length / judged.length).toFixed(1)} % certain at ${precision(certain)}, ${uncertain.length} uncertain at ${precision(uncertain)}`);
  }
}
