import { strict as assert } from 'node:assert';
import { indexedFindings, mostSevere } from '../../src/core/findings';
import type { CorpusDiagnostic } from '../../src/core/rules';

const finding = (start: number, end: number, severity: CorpusDiagnostic['severity'] = 'warning'): CorpusDiagnostic => ({ code: 'halfwidth-punctuation', severity, message: 'm', start, end, fixes: [] });

describe('indexed findings (core/findings)', () => {
  it('gives line/character ranges as VS Code counts lines: \\n, \\r\\n and \\r each end one; inside \\r\\n is the line\'s end', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const rangeOf = (s: number, e: number) => indexedFindings(text, [finding(s, e)])[0].range;
    assert.deepEqual(rangeOf(0, 2), [0, 0, 0, 2]);
    assert.deepEqual(rangeOf(3, 5), [1, 0, 1, 2]);
    assert.deepEqual(rangeOf(6, 7), [1, 2, 2, 0]); // from between \r and \n (the end of line 1) to line 2
    assert.deepEqual(rangeOf(7, 9), [2, 0, 2, 2]);
    assert.deepEqual(rangeOf(10, 12), [3, 0, 3, 2]);
    assert.deepEqual(rangeOf(12, 12), [3, 2, 3, 2]);
  });

  it('keeps code, severity and message, and leaves the fixes behind', () => {
    assert.deepEqual(indexedFindings('标题\n\n2018-10-17', [{ code: 'dateline-format', severity: 'error', message: 'Date…', start: 4, end: 14, fixes: [{ title: 't', edits: [], safe: true }] }]),
      [{ code: 'dateline-format', severity: 'error', message: 'Date…', range: [2, 0, 2, 10] }]);
  });

  it('keeps the 1,000 most severe of a file, by position within a severity', () => {
    const many = Array.from({ length: 1200 }, (_, i) => finding(i, i + 1, i % 100 === 0 ? 'error' : 'warning'));
    const shown = mostSevere(many);
    assert.equal(shown.length, 1000);
    assert.deepEqual(shown.slice(0, 12).map((f) => [f.severity, f.start]), [...Array.from({ length: 12 }, (_, i) => ['error', i * 100])]);
    assert.deepEqual(shown.slice(12, 14).map((f) => f.start), [1, 2]);
    assert.equal(indexedFindings('x'.repeat(1300), many).length, 1000);
  });
});
