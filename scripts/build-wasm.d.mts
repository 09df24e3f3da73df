export interface Kernel { wat: string; out: string; name: string }
export const KERNELS: Kernel[];
/** The generated TypeScript module for one kernel's .wat source. */
export function generate(kernel: Kernel): Promise<string>;
