/**
 * Where a write really lands. A `.corpus-lens` folder or `.corpus-lens.json` that is a symbolic link takes a
 * write made "in the workspace" to wherever the link points; the extension resolves the real path first and
 * writes only when it stays inside the (real) workspace folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The real path a write to `target` reaches: symbolic links resolved in the longest part of the path that
 * exists, the parts still to be created appended. Undefined when a part exists but cannot be resolved (a
 * dangling link: writing through it would create its target, wherever that is).
 */
export function realTarget(target: string): string | undefined {
  const missing: string[] = [];
  let p = path.resolve(target);
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(p), ...missing);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') return undefined; // ELOOP, EACCES, ENOTDIR: not a place to write
    }
    try { fs.lstatSync(p); return undefined; } catch { /* really missing: resolve its parent */ }
    const up = path.dirname(p);
    if (up === p) return undefined;
    missing.unshift(path.basename(p));
    p = up;
  }
}

/** Whether `child` is `parent` or below it (both absolute, already resolved). */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

/** Whether a write to `target` stays inside `folder` once every symbolic link on both paths is resolved. */
export function writeStaysInside(target: string, folder: string): boolean {
  const t = realTarget(target), f = realTarget(folder);
  return t !== undefined && f !== undefined && isInside(t, f);
}
