/**
 * Sets of IP addresses (IPv4 and IPv6 together) with real arithmetic: union, intersection,
 * difference, containment. CIDRs are parsed with ip-num and held as sorted, disjoint intervals of
 * bigint addresses per family, so `0.0.0.0/1` + `128.0.0.0/1` is the same set as `0.0.0.0/0`, and
 * `10.0.0.0/8` except `10.1.0.0/16` is what remains. Nothing here compares a CIDR by its text.
 */
import { IPv4CidrRange, IPv6CidrRange, Validator } from 'ip-num';

type Interval = readonly [bigint, bigint];
type Family = 'v4' | 'v6';

const MAX: Record<Family, bigint> = { v4: (1n << 32n) - 1n, v6: (1n << 128n) - 1n };

function normalise(list: readonly Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Array<[bigint, bigint]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1n) last[1] = hi > last[1] ? hi : last[1];
    else out.push([lo, hi]);
  }
  return out;
}

function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = a[i][0] > b[j][0] ? a[i][0] : b[j][0];
    const hi = a[i][1] < b[j][1] ? a[i][1] : b[j][1];
    if (lo <= hi) out.push([lo, hi]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

function complement(a: readonly Interval[], max: bigint): Interval[] {
  const out: Interval[] = [];
  let next = 0n;
  for (const [lo, hi] of a) {
    if (lo > next) out.push([next, lo - 1n]);
    next = hi + 1n;
  }
  if (next <= max) out.push([next, max]);
  return out;
}

type Parsed = { readonly family: Family; readonly range: Interval };
/** Texts parsed so far: a platform names a few CIDRs many times (every tenant's policies). */
const parsedCidrs = new Map<string, Parsed | undefined>();

/** A CIDR parsed into its family and address interval, or undefined when it is not one. */
export function parseCidr(text: string): Parsed | undefined {
  if (parsedCidrs.has(text)) return parsedCidrs.get(text);
  const parsed = parseCidrText(text);
  parsedCidrs.set(text, parsed);
  return parsed;
}

function parseCidrText(text: string): Parsed | undefined {
  const s = text.trim();
  const withPrefix = s.includes('/') ? s : s.includes(':') ? `${s}/128` : `${s}/32`;
  try {
    if (Validator.isValidIPv4CidrNotation(withPrefix)[0]) {
      const r = IPv4CidrRange.fromCidr(withPrefix);
      const bits = BigInt(32 - Number(withPrefix.split('/')[1]));
      const first = (r.getFirst().getValue() >> bits) << bits;
      return { family: 'v4', range: [first, first + (1n << bits) - 1n] };
    }
    if (Validator.isValidIPv6CidrNotation(withPrefix)[0]) {
      const r = IPv6CidrRange.fromCidr(withPrefix);
      const bits = BigInt(128 - Number(withPrefix.split('/')[1]));
      const first = (r.getFirst().getValue() >> bits) << bits;
      return { family: 'v6', range: [first, first + (1n << bits) - 1n] };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export class CidrSet {
  private constructor(
    readonly v4: readonly Interval[],
    readonly v6: readonly Interval[],
  ) {}

  static readonly EMPTY = new CidrSet([], []);
  static readonly ALL = new CidrSet([[0n, MAX.v4]], [[0n, MAX.v6]]);

  /** The set of the given CIDRs (or single addresses); throws on text that is not one. */
  static of(...cidrs: readonly string[]): CidrSet {
    const v4: Interval[] = [];
    const v6: Interval[] = [];
    for (const c of cidrs) {
      const p = parseCidr(c);
      if (!p) throw new Error(`not a CIDR: ${JSON.stringify(c)}`);
      (p.family === 'v4' ? v4 : v6).push(p.range);
    }
    return new CidrSet(normalise(v4), normalise(v6));
  }

  /** Like `of`, but undefined (instead of an exception) when a value is not a CIDR. */
  static tryOf(...values: readonly unknown[]): CidrSet | undefined {
    if (!values.every((v) => typeof v === 'string' && parseCidr(v) !== undefined)) return undefined;
    return CidrSet.of(...(values as string[]));
  }

  /** The addresses of one family. */
  family(f: Family): CidrSet {
    return f === 'v4' ? new CidrSet(this.v4, []) : new CidrSet([], this.v6);
  }
  /** Whether this set holds every address of `o` in at least one family where `o` has any (e.g. all of the IPv4 internet). */
  coversAFamilyOf(o: CidrSet): boolean {
    return (['v4', 'v6'] as const).some((f) => !o.family(f).isEmpty() && this.covers(o.family(f)));
  }

  union(o: CidrSet): CidrSet {
    return new CidrSet(normalise([...this.v4, ...o.v4]), normalise([...this.v6, ...o.v6]));
  }
  intersect(o: CidrSet): CidrSet {
    return new CidrSet(intersect(this.v4, o.v4), intersect(this.v6, o.v6));
  }
  complement(): CidrSet {
    return new CidrSet(complement(this.v4, MAX.v4), complement(this.v6, MAX.v6));
  }
  minus(o: CidrSet): CidrSet {
    return this.intersect(o.complement());
  }
  isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }
  overlaps(o: CidrSet): boolean {
    return !this.intersect(o).isEmpty();
  }
  /** Whether every address of `o` is in this set. */
  covers(o: CidrSet): boolean {
    return o.minus(this).isEmpty();
  }
  equals(o: CidrSet): boolean {
    return this.covers(o) && o.covers(this);
  }
  /** Number of addresses (per family), for sorting routes by specificity. */
  size(): bigint {
    const count = (l: readonly Interval[]) => l.reduce((n, [lo, hi]) => n + hi - lo + 1n, 0n);
    return count(this.v4) + count(this.v6);
  }

  /** The smallest list of CIDRs that makes up the set, IPv4 first, in address order. */
  toCidrs(): string[] {
    return [...split(this.v4, 32, fmt4), ...split(this.v6, 128, fmt6)];
  }
  toString(): string {
    const c = this.toCidrs();
    if (c.length === 0) return '(none)';
    return c.length > 6 ? `${c.slice(0, 6).join(', ')} and ${c.length - 6} more` : c.join(', ');
  }
}

function fmt4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
}
function fmt6(v: bigint): string {
  const g: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) g.push(((v >> s) & 0xffffn).toString(16));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
  }
  if (best < 0) return g.join(':');
  return `${g.slice(0, best).join(':')}::${g.slice(best + bestLen).join(':')}`;
}

function split(list: readonly Interval[], width: number, fmt: (v: bigint) => string): string[] {
  const out: string[] = [];
  for (const [lo0, hi] of list) {
    let lo = lo0;
    while (lo <= hi) {
      let bits = 0;
      while (bits < width) {
        const size = 1n << BigInt(bits + 1);
        if (lo % size !== 0n || lo + size - 1n > hi) break;
        bits++;
      }
      out.push(`${fmt(lo)}/${width - bits}`);
      lo += 1n << BigInt(bits);
    }
  }
  return out;
}

/**
 * Addresses that are not on the internet: private (RFC 1918), shared (RFC 6598), loopback,
 * link-local, and their IPv6 counterparts (ULA, link-local, loopback). Everything else is "the
 * internet" for the analysis.
 */
export const NON_INTERNET = CidrSet.of(
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '0.0.0.0/8',
  'fc00::/7',
  'fe80::/10',
  '::1/128',
  '::/128',
);
export const INTERNET = NON_INTERNET.complement();
/** The instance metadata service, IPv4 and IPv6 (Nitro). */
export const METADATA = CidrSet.of('169.254.169.254/32', 'fd00:ec2::254/128');
