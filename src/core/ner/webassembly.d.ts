// The part of the WebAssembly JavaScript API that the SIMD kernel uses (Node has it; the project's
// TypeScript lib is ES2022 without DOM, whose lib.dom.d.ts is where these types usually come from).
declare namespace WebAssembly {
  class Module { constructor(bytes: BufferSource) }
  class Instance { constructor(module: Module, imports?: Record<string, Record<string, unknown>>); readonly exports: Record<string, unknown> }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    /** grows by `pages` pages of 64 KiB; returns the previous size in pages */
    grow(pages: number): number;
  }
}
type BufferSource = ArrayBufferView | ArrayBuffer;
