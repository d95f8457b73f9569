/**
 * The benchmark's settings presets, shared by `optimlab bench` and `optimlab run` (npm start), so
 * that their runs can be compared: the default, and `--quick`, a smoke run that checks that every
 * task runs. No imports: the commands' help texts read these without loading the harness.
 */

/** Sizes, time per task (ms) and warmup (ms) of a default run: a few minutes on 2 cores. */
export const DEFAULT_SIZES: readonly number[] = [1e4, 1e5, 1e6, 4e6];
export const DEFAULT_TIME = 250;

/** The smoke run: seconds. */
export const QUICK_SIZES: readonly number[] = [1e3, 1e4];
export const QUICK_TIME = 15;

/** Warmup per task unless given: a third of the time per task. */
export function defaultWarmup(time: number): number {
  return Math.max(1, Math.round(time / 3));
}

const sizeText = (n: number): string => {
  if (n < 1000) return String(n);
  const k = Math.floor(Math.log10(n));
  return Number.isInteger(n / 10 ** k) ? `${n / 10 ** k}e${k}` : String(n);
};

export const DEFAULT_SIZES_TEXT = DEFAULT_SIZES.map(sizeText).join(',');
export const QUICK_SIZES_TEXT = QUICK_SIZES.map(sizeText).join(',');
