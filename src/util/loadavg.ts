/**
 * What a 1-minute load average says about a span of time, and the benchmark's own share of it.
 *
 * Linux updates the load average every 5 s: L ← a₅·L + (1 − a₅)·n, with a₅ = e^(−5/60) and n the
 * threads running or waiting to run at that moment (kernel/sched/loadavg.c; macOS likewise, with
 * its own period). Over a span of T seconds, then,
 *
 *     L_end = a·L_start + (1 − a)·n̄,   a = e^(−T/60),
 *
 * where n̄ is the mean of n over the span weighted by e^(−(T − t)/60) (its last minute weighs most).
 * Solved for n̄, the two samples of a run give the load of the run itself, without what ran before
 * it: a build that ended as the run began weighs a in L_end, and nothing in n̄. The kernel's 5 s
 * period makes T uncertain by one period; `runLoad` takes the end of that range that gives the
 * larger n̄, so that a busy run is never made quiet by the arithmetic. The smaller T is, the less
 * the two samples can tell apart: under two periods they cannot, and n̄ is the higher sample.
 */

/** The 1-minute load average's time constant and the kernel's update period, in seconds. */
export const LOAD_TAU_SEC = 60;
export const LOAD_PERIOD_SEC = 5;

/** n̄ of a span of `seconds` whose load average went from `start` to `end` (module comment). */
export function runLoad(start: number, end: number, seconds: number): number {
  if (!(seconds >= 2 * LOAD_PERIOD_SEC)) return Math.max(start, end);
  const mean = (t: number): number => {
    const a = Math.exp(-t / LOAD_TAU_SEC);
    return (end - a * start) / (1 - a);
  };
  return Math.max(0, mean(seconds - LOAD_PERIOD_SEC), mean(seconds + LOAD_PERIOD_SEC));
}

/**
 * Measures a process's own share of the load average over a span: its CPU time (every thread, user
 * and system) per second, averaged with the load average's weights, e^(−(T − t)/60) normalised over
 * the span, so that it can be taken from `runLoad` of the same span. Call `sample()` often (cheap;
 * it keeps at most one point per 0.25 s) and `result()` at the end.
 */
export function ownLoadMeter(
  cpuSec: () => number = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  },
  nowSec: () => number = () => performance.now() / 1000,
): { sample(): void; result(): number } {
  const points: { t: number; cpu: number }[] = [{ t: nowSec(), cpu: cpuSec() }];
  const sample = (force = false): void => {
    const t = nowSec();
    if (force || t - points[points.length - 1]!.t >= 0.25) points.push({ t, cpu: cpuSec() });
  };
  return {
    sample: () => sample(),
    result(): number {
      sample(true);
      const end = points[points.length - 1]!.t;
      const span = end - points[0]!.t;
      if (!(span > 0)) return 0;
      let sum = 0;
      for (let i = 1; i < points.length; i++) {
        const p = points[i - 1]!;
        const q = points[i]!;
        if (!(q.t > p.t)) continue;
        // ∫ over [p.t, q.t] of e^(−(end − t)/τ) dt / τ, times the interval's mean rate
        const w = Math.exp(-(end - q.t) / LOAD_TAU_SEC) - Math.exp(-(end - p.t) / LOAD_TAU_SEC);
        sum += ((q.cpu - p.cpu) / (q.t - p.t)) * w;
      }
      return sum / (1 - Math.exp(-span / LOAD_TAU_SEC));
    },
  };
}
