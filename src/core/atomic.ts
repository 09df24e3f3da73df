/** Writes that lose nothing: a temporary file beside the target, then a rename; the old file stays intact on failure. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export class FileExistsError extends Error {
  constructor(readonly file: string) { super(`${file} already exists (refusing to overwrite it)`); }
}

export function writeFileAtomic(file: string, data: string | Uint8Array, opts: { overwrite?: boolean } = {}): void {
  const w = new AtomicFileWriter(file, opts);
  w.write(data);
  w.commit();
}

/**
 * Output written in pieces: chunks go to a temporary file beside the target (with the target's mode), which
 * replaces the target only on commit(); abort() (or a failure) leaves the target as it was.
 */
export class AtomicFileWriter {
  private readonly tmp: string;
  private fd: number | undefined;
  private readonly mode: number | undefined;
  constructor(readonly file: string, private readonly opts: { overwrite?: boolean } = {}) {
    if (!(opts.overwrite ?? true) && fs.existsSync(file)) throw new FileExistsError(file);
    this.tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    try { this.mode = fs.statSync(file).mode; } catch { /* new file */ }
    this.fd = fs.openSync(this.tmp, 'w', this.mode);
  }
  write(chunk: string | Uint8Array): void {
    if (this.fd === undefined) throw new Error(`${this.file}: written after commit or abort`);
    try { fs.writeFileSync(this.fd, chunk); } catch (e) { this.abort(); throw e; } // (at the current position, all of it)
  }
  commit(): void {
    if (this.fd === undefined) throw new Error(`${this.file}: committed twice or after abort`);
    try {
      fs.closeSync(this.fd);
      this.fd = undefined;
      if (!(this.opts.overwrite ?? true) && fs.existsSync(this.file)) throw new FileExistsError(this.file);
      fs.renameSync(this.tmp, this.file);
    } catch (e) { this.abort(); throw e; }
  }
  abort(): void {
    if (this.fd !== undefined) { try { fs.closeSync(this.fd); } catch { /* already closed */ } this.fd = undefined; }
    try { fs.unlinkSync(this.tmp); } catch { /* gone already */ }
  }
}
