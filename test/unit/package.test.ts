// scripts/package.mjs makes one VSIX per platform, with this machine's nodejieba.node inside: it refuses another
// --target rather than ship a binary that cannot load there.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

describe('scripts/package.mjs', () => {
  it('refuses a --target other than this machine, before building or packaging anything', () => {
    const foreign = process.platform === 'win32' && process.arch === 'arm64' ? 'linux-x64' : 'win32-arm64';
    const out = path.join(root, 'dist-vsix', `corpus-lens-0.1.0-${foreign}.vsix`);
    const r = spawnSync(process.execPath, ['scripts/package.mjs', '--target', foreign], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '', 'no build, no vsce');
    assert.match(r.stderr, new RegExp(`^\\[package\\] cannot package for ${foreign} on [a-z0-9]+-[a-z0-9]+: node_modules/nodejieba/build/Release/nodejieba\\.node is this machine's binary; run npm run package on a ${foreign} machine\\n$`));
    assert.equal(fs.existsSync(out), false);
  });
});
