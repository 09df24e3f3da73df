#!/usr/bin/env node
// Packages the extension as a platform-specific VSIX (nodejieba is a native addon, so one VSIX per target):
//   node scripts/package.mjs [--target linux-x64] [--no-build]
// --target must be this machine's (the default): nodejieba.node in node_modules is built for it.
// Builds with scripts/build.mjs, runs `vsce package --target T` into dist-vsix/corpus-lens-<version>-<T>.vsix,
// then checks the archive holds the bundles, nodejieba.node with its dictionaries, @node-rs/jieba with its dictionary
// and its platform's binary, the jieba-wasm .wasm, and node-sqlite3-wasm with its .wasm.
// What goes in is decided by .vscodeignore (an allowlist). Last line on success: "[package] wrote <path>".
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };

function isMusl() {
  if (process.platform !== 'linux') return false;
  const report = process.report?.getReport?.();
  return !report?.header?.glibcVersionRuntime;
}

/** vsce --target for this machine: win32-x64, win32-arm64, linux-x64, linux-arm64, linux-armhf, alpine-x64, alpine-arm64, darwin-x64, darwin-arm64. */
export function vsceTarget(platform = process.platform, arch = process.arch, musl = isMusl()) {
  const a = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[arch];
  const p = platform === 'linux' && musl ? 'alpine' : platform;
  const t = a && `${p}-${a}`;
  const known = ['win32-x64', 'win32-arm64', 'linux-x64', 'linux-arm64', 'linux-armhf', 'alpine-x64', 'alpine-arm64', 'darwin-x64', 'darwin-arm64'];
  if (!t || !known.includes(t)) throw new Error(`no vsce target for ${platform}-${arch}${musl ? ' (musl)' : ''}; pass --target`);
  return t;
}

/**
 * The package and file of @node-rs/jieba's binary for a vsce target (napi-rs's names: node_modules/@node-rs/jieba/index.js).
 * npm installs only this machine's, and a VSIX is packaged on a machine of its target.
 */
export function nodeRsBinary(target) {
  const triple = {
    'win32-x64': 'win32-x64-msvc', 'win32-arm64': 'win32-arm64-msvc', 'linux-x64': 'linux-x64-gnu', 'linux-arm64': 'linux-arm64-gnu',
    'linux-armhf': 'linux-arm-gnueabihf', 'alpine-x64': 'linux-x64-musl', 'alpine-arm64': 'linux-arm64-musl', 'darwin-x64': 'darwin-x64',
    'darwin-arm64': 'darwin-arm64',
  }[target];
  return `@node-rs/jieba-${triple}/jieba.${triple}.node`;
}

/** Entries (name, size) of a zip file, read from its central directory. */
export function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip central directory');
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function run(cmd, args, opts = {}) {
  console.log(`[package] $ ${[cmd === process.execPath ? 'node' : cmd, ...args.map((a) => (path.isAbsolute(a) ? path.relative(root, a) : a))].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function mb(n) { return `${(n / 1048576).toFixed(2)} MB`; }

async function main() {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const target = option('--target') ?? vsceTarget();
  const outDir = path.join(root, 'dist-vsix');
  const out = path.join(outDir, `${manifest.name}-${manifest.version}-${target}.vsix`);
  // nodejieba.node is built for this machine by npm install: a VSIX for another target would load a binary of the
  // wrong platform and fall back to jieba-wasm for every user. Package each target on a machine of that target.
  if (target !== vsceTarget()) {
    throw new Error(`cannot package for ${target} on ${vsceTarget()}: node_modules/nodejieba/build/Release/nodejieba.node is this machine's binary; run npm run package on a ${target} machine`);
  }

  if (!argv.includes('--no-build')) run(process.execPath, [path.join(root, 'scripts/build.mjs')]);
  const main = manifest.main && path.join(root, manifest.main);
  if (main && !fs.existsSync(main)) throw new Error(`${manifest.main} (package.json "main") does not exist after the build`);
  const nativeBinary = path.join(root, 'node_modules/nodejieba/build/Release/nodejieba.node');
  if (!fs.existsSync(nativeBinary)) throw new Error(`${path.relative(root, nativeBinary)} is missing (npm rebuild nodejieba)`);
  const nodeRs = `node_modules/${nodeRsBinary(target)}`;
  if (!fs.existsSync(path.join(root, nodeRs))) throw new Error(`${nodeRs} is missing (npm install installs @node-rs/jieba's binary for this machine)`);

  const vsceArgs = ['package', '--target', target, '--out', out];
  if (!manifest.repository) {
    // without a repository vsce cannot turn README's relative links/images into absolute URLs: keep them relative
    console.warn('[package] warning: package.json has no "repository"; passing --allow-missing-repository --no-rewrite-relative-links');
    vsceArgs.push('--allow-missing-repository', '--no-rewrite-relative-links');
  }
  const hasLicense = manifest.license && fs.readdirSync(root).some((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
  if (!hasLicense) {
    console.warn('[package] warning: no LICENSE file; passing --skip-license (add a LICENSE file)');
    vsceArgs.push('--skip-license');
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.rmSync(out, { force: true });
  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  run(process.execPath, [vsce, ...vsceArgs]);

  // ---- verify the archive
  const entries = zipEntries(out);
  const names = new Set(entries.map((e) => e.name));
  const required = [
    'extension/package.json',
    `extension/${path.posix.normalize(manifest.main.replace(/^\.\//, ''))}`,
    'extension/node_modules/nodejieba/package.json',
    'extension/node_modules/nodejieba/index.js',
    'extension/node_modules/nodejieba/build/Release/nodejieba.node',
    'extension/node_modules/nodejieba/submodules/cppjieba/dict/jieba.dict.utf8',
    'extension/node_modules/nodejieba/submodules/cppjieba/dict/hmm_model.utf8',
    'extension/node_modules/nodejieba/submodules/cppjieba/dict/user.dict.utf8',
    'extension/node_modules/nodejieba/submodules/cppjieba/dict/idf.utf8',
    'extension/node_modules/nodejieba/submodules/cppjieba/dict/stop_words.utf8',
    'extension/node_modules/@node-rs/jieba/package.json',
    'extension/node_modules/@node-rs/jieba/index.js',
    'extension/node_modules/@node-rs/jieba/dict.js',
    'extension/node_modules/@node-rs/jieba/dict.txt',
    `extension/${nodeRs}`,
    `extension/${path.posix.dirname(nodeRs)}/package.json`,
    'extension/node_modules/jieba-wasm/package.json',
    'extension/node_modules/jieba-wasm/pkg/nodejs/jieba_rs_wasm.js',
    'extension/node_modules/jieba-wasm/pkg/nodejs/jieba_rs_wasm_bg.wasm',
    // the index database's engine where the host's Node has no node:sqlite (src/core/store/sqlite.ts)
    'extension/node_modules/node-sqlite3-wasm/package.json',
    'extension/node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.js',
    'extension/node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm',
  ];
  for (const f of ['dist/worker.js', 'dist/search.js', 'dist/cli.js']) if (fs.existsSync(path.join(root, f))) required.push(`extension/${f}`);
  const missing = required.filter((f) => !names.has(f));
  const unexpected = entries.map((e) => e.name).filter((n) => /^extension\/(src\/|test\/|tools\/|out\/|scripts\/|\.vscode-test\/|dist-vsix\/)|\.map$/.test(n));

  const groups = new Map();
  for (const e of entries) {
    const parts = e.name.split('/');
    const key = parts[0] !== 'extension' ? parts[0]
      : parts[1] === 'node_modules' ? parts.slice(1, 3).join('/')
      : parts.length > 2 ? `${parts[1]}/` : parts[1];
    const g = groups.get(key) ?? { files: 0, bytes: 0 };
    g.files++; g.bytes += e.size;
    groups.set(key, g);
  }
  const size = fs.statSync(out).size;
  const unpacked = entries.reduce((s, e) => s + e.size, 0);
  console.log(`[package] ${path.relative(root, out)}: ${mb(size)} (${entries.length} files, ${mb(unpacked)} unpacked)`);
  for (const [k, g] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes)) {
    console.log(`[package]   ${k.padEnd(36)} ${String(g.files).padStart(4)} files ${mb(g.bytes).padStart(10)}`);
  }
  if (missing.length) throw new Error(`the VSIX lacks:\n  ${missing.join('\n  ')}`);
  if (unexpected.length) throw new Error(`the VSIX holds sources, tests, tools or source maps (see .vscodeignore):\n  ${unexpected.slice(0, 20).join('\n  ')}`);
  console.log(`[package] wrote ${out}`);
}

main().catch((err) => {
  console.error(`[package] ${err.message}`);
  process.exit(1);
});
