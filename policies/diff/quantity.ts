/** Kubernetes quantities ("50Ti", "500m", "8") and plain numbers, compared exactly (bigint, milli-units). */

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL: Record<string, bigint> = {
  '': 1n,
  k: 10n ** 3n,
  M: 10n ** 6n,
  G: 10n ** 9n,
  T: 10n ** 12n,
  P: 10n ** 15n,
  E: 10n ** 18n,
};

/** The value in thousandths, or undefined when `x` is not a quantity. */
export function milliUnits(x: unknown): bigint | undefined {
  if (typeof x === 'number') return Number.isInteger(x) ? BigInt(x) * 1000n : BigInt(Math.round(x * 1000));
  if (typeof x !== 'string') return undefined;
  const m = /^(\d+)(?:\.(\d{1,3}))?(m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(x.trim());
  if (!m) return undefined;
  const milli = BigInt(m[1]) * 1000n + BigInt((m[2] ?? '').padEnd(3, '0') || '0');
  const unit = m[3] ?? '';
  if (unit === 'm') return milli / 1000n;
  return milli * (BINARY[unit] ?? DECIMAL[unit] ?? 1n);
}

/** -1, 0 or 1 when both are quantities, undefined otherwise. */
export function compareQuantities(a: unknown, b: unknown): number | undefined {
  const [x, y] = [milliUnits(a), milliUnits(b)];
  if (x === undefined || y === undefined) return undefined;
  return x < y ? -1 : x > y ? 1 : 0;
}
