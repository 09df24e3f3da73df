/**
 * The tagger's emission scores in WebAssembly SIMD (emissions.wat): one 16-byte row load and two widening
 * additions per feature instead of 13 scalar additions, about 6× faster than the JavaScript loop on the
 * same features. The weight table lives at byte 0 of a shared WebAssembly.Memory, so the worker threads of
 * `--jobs` use one copy of it; each thread's kernel takes a private region of that memory (memory.grow is
 * atomic and returns the old size, which makes it an allocator) for the features it is given and the scores
 * it returns. Where WebAssembly SIMD or shared memory is missing, Model keeps its JavaScript loop.
 */
import { EMISSIONS_WASM } from './emissionsWasm';

const PAGE = 65536;
/** Pages a table memory may grow by for the kernels' regions (address space reserved, not memory used). */
const HEADROOM_PAGES = 4096;
/** Characters a region holds at first (sentence chunks are at most 400 UTF-16 units). */
const FIRST_CAPACITY = 1024;
/** int32 scores per character in the kernel's output (13 tags, padded): Model's RS. */
const STRIDE = 16;

let compiled: WebAssembly.Module | null | undefined;
let unavailable: string | undefined;

/** The compiled kernel, or undefined where this runtime cannot run it (see emissionsUnavailable()). */
function kernelModule(): WebAssembly.Module | undefined {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(EMISSIONS_WASM, 'base64'));
      // shared memory is part of the kernel's contract: check it once here, not on every model load
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    } catch (e) {
      compiled = null;
      unavailable = `WebAssembly SIMD kernel unavailable (${(e as Error).message}); tagging uses the JavaScript loop`;
    }
  }
  return compiled ?? undefined;
}

/** Why the kernel cannot run here, once it has been tried; undefined when it runs. */
export function emissionsUnavailable(): string | undefined { kernelModule(); return unavailable; }

/** A shared memory with room for a table of `bytes` bytes at offset 0, or undefined without the kernel. */
export function tableMemory(bytes: number): WebAssembly.Memory | undefined {
  if (!kernelModule()) return undefined;
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  return new WebAssembly.Memory({ initial: pages, maximum: pages + HEADROOM_PAGES, shared: true });
}

export class WasmEmissions {
  private readonly run: (feats: number, n: number, nf: number, shift: number, out: number) => void;
  private capacity = 0;
  private featsAt = 0;
  private outAt = 0;
  private featsView: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private outView: Int32Array<ArrayBufferLike> = new Int32Array(0);

  private constructor(private readonly memory: WebAssembly.Memory, private readonly nf: number, private readonly shift: number, mod: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(mod, { env: { memory } });
    this.run = instance.exports.emissions as WasmEmissions['run'];
  }

  /** A kernel over the table at byte 0 of `memory` (rows of 16 int8), or undefined without WebAssembly. */
  static create(memory: WebAssembly.Memory | undefined, nf: number, shift: number): WasmEmissions | undefined {
    const mod = kernelModule();
    return memory && mod ? new WasmEmissions(memory, nf, shift, mod) : undefined;
  }

  /** A private region for `chars` characters; false when the memory cannot grow (the caller falls back). */
  private reserve(chars: number): boolean {
    const cap = Math.max(chars, this.capacity * 2, FIRST_CAPACITY);
    const featBytes = cap * this.nf * 4, bytes = featBytes + cap * STRIDE * 4;
    let base: number;
    try { base = this.memory.grow(Math.ceil(bytes / PAGE)) * PAGE; } catch { return false; }
    this.capacity = cap;
    this.featsAt = base;
    this.outAt = base + featBytes;
    this.featsView = new Int32Array(this.memory.buffer, this.featsAt, cap * this.nf);
    this.outView = new Int32Array(this.memory.buffer, this.outAt, cap * STRIDE);
    return true;
  }

  /**
   * Emission scores of n characters from their feature hashes (n × nf int32, 0 = none): 16 int32 per
   * character (13 tags, then 0), the same numbers as Model.emissions. The result is a view that the next
   * call overwrites; undefined when no region could be had (memory exhausted).
   */
  emissions(feats: Int32Array, n: number): Int32Array<ArrayBufferLike> | undefined {
    if (n > this.capacity && !this.reserve(n)) return undefined;
    this.featsView.set(feats.subarray(0, n * this.nf));
    this.run(this.featsAt, n, this.nf, this.shift, this.outAt);
    return this.outView;
  }
}
