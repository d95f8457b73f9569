/** Number formatting shared by the tables. */

export function fmtNum(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(digits - 1).replace('e+', 'e');
  return Number(v.toPrecision(digits)).toString();
}

/** 1234567 → '1.23 M'. */
export function fmtSi(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  // Pick the prefix after rounding to 3 digits: 999.6e6 is '1.00 G', not '1.00e+3 M'.
  const r = Number(v.toPrecision(3));
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [s, p] of units)
    if (Math.abs(r) >= s && (p === 'T' || Math.abs(r) < s * 1e3)) return `${(r / s).toPrecision(3)} ${p}${unit}`;
  return `${r.toPrecision(3)} ${unit}`.trim();
}

export function fmtPct(v: number, signed = true): string {
  const s = `${(v * 100).toFixed(1)}%`;
  return signed && v > 0 ? `+${s}` : s.replace('-', '−');
}

/** Natural order of law IDs: A1 < A2 < A10, F2 < F2a. */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
