/** Writes that lose nothing: a temporary file beside the target, then a rename; the old file stays intact on failure. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class FileExistsError extends Error {
  constructor(readonly file: string) { super(`${file} already exists (refusing to overwrite it)`); }
}

export function writeFileAtomic(file: string, data: string | Uint8Array, opts: { overwrite?: boolean } = {}): void {
  const overwrite = opts.overwrite ?? true;
  if (!overwrite && fs.existsSync(file)) throw new FileExistsError(file);
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let mode: number | undefined;
  try { mode = fs.statSync(file).mode; } catch { /* new file */ }
  try {
    fs.writeFileSync(tmp, data, mode !== undefined ? { mode } : undefined);
    fs.renameSync(tmp, file);
  } catch (e) {
    try { fs.unlinkSync(tmp); } catch { /* never created */ }
    throw e;
  }
}
