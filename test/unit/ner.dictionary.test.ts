import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDictionary, parseStopList, DictionaryMatcher, createDictionary } from '../../src/core/ner/dictionary';

const fx = (f: string) => readFileSync(join(__dirname, '..', 'fixtures', 'ner', f), 'utf8');

describe('ner dictionary', () => {
  it('parses entries, types and aliases; reports malformed lines with 1-based numbers and keeps the rest', () => {
    const { entries, errors } = parseDictionary(fx('dictionary.tsv'));
    assert.deepEqual(entries.map((e) => [e.name, e.type, e.aliases, e.line]), [
      ['青禾科技', 'ORG', ['青禾'], 2],
      ['白鹭洲', 'LOC', [], 3],
      ['钟离远山', 'PER', ['远山', '钟离先生'], 4],
    ]);
    assert.equal(errors.length, 2);
    assert.equal(errors[0].line, 5);
    assert.match(errors[0].message, /tab/);
    assert.equal(errors[1].line, 6);
    assert.match(errors[1].message, /unknown type "COMPANY"/);
  });
  it('accepts CRLF, BOM, organisation spelling, and flags duplicates and empty names', () => {
    const { entries, errors } = parseDictionary('\uFEFF甲乙丙\torganisation\r\n\r\n# c\r\n甲乙丙\tORG\r\n\tPER\r\n丁戊\tLOC\tx\ty\r\n');
    assert.deepEqual(entries.map((e) => [e.name, e.type, e.line]), [['甲乙丙', 'ORG', 1]]);
    assert.deepEqual(errors.map((e) => e.line), [4, 5, 6]);
    assert.match(errors[0].message, /duplicate/);
    assert.match(errors[1].message, /empty name/);
    assert.match(errors[2].message, /too many columns/);
  });
  it('parses the stop list', () => {
    assert.deepEqual([...parseStopList(fx('stop.txt'))], ['市场', '发展中国家']);
  });
  it('matches names and aliases longest-first', () => {
    const { dictionary } = createDictionary({ tsv: '青禾\tORG\n青禾科技\tORG\t青科\n' });
    const m = new DictionaryMatcher(dictionary);
    assert.deepEqual(m.find('在青禾科技和青科工作').map((h) => [h.start, h.end, h.entry.name]), [[1, 5, '青禾科技'], [6, 8, '青禾科技']]);
  });
});
