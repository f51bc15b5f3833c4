/** The middle of the figures (the upper middle of an even count), as every bench reports its runs. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
