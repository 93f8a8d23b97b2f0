// Editor fields arrive as strings (or empty): a positive number, or the default.
export function positiveOr(value: unknown, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
