/** "1 file", "2 files": the command line's English summaries count in words (they are not translated). */
export const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
