/**
 * Strict scalar types shared by every part of the model: identifiers, quantities, dates, CIDRs
 * and host names. Each parser rejects anything it does not fully understand, so a typo in a spec
 * is an error rather than a silently different platform.
 */
import { z } from 'zod';

/** Longest identifier accepted. Ids are embedded in AWS names (IAM roles: 64 chars, S3 buckets:
 *  63) and Kubernetes names (63), next to fixed prefixes, so they are kept well below 63. */
export const MAX_ID_LENGTH = 32;

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** An identifier: a DNS-1123 label of at most {@link MAX_ID_LENGTH} characters. */
export const Id = z
  .string()
  .max(MAX_ID_LENGTH, { message: `must be at most ${MAX_ID_LENGTH} characters` })
  .regex(DNS1123_LABEL, {
    message:
      'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit',
  });

/**
 * Two ids collide once normalised when they are equal after dropping "-": targets derive
 * PascalCase construct ids and IAM names (which AWS compares case-insensitively) from ids, so
 * `acme-labs` and `acmelabs` would name the same role.
 */
export function normaliseId(id: string): string {
  return id.replace(/-/g, '');
}

/** A calendar date, `YYYY-MM-DD`, checked to exist (no 2026-02-30). */
export const IsoDate = z.string().refine(isValidIsoDate, { message: 'must be a date written YYYY-MM-DD' });

export function isValidIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const QUANTITY = /^(0|[1-9][0-9]*)(Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const UNIT: Record<string, bigint> = {
  '': 1n,
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};

/**
 * A byte quantity in Kubernetes binary notation, a whole number with an optional binary suffix
 * (`50Ti`, `512Gi`). Decimal suffixes and fractions are refused on purpose: `50T` and `50Ti`
 * differ by 10%, which is too easy to get wrong for storage quotas.
 */
export const Quantity = z.string().regex(QUANTITY, {
  message:
    'must be a whole number of bytes with an optional binary suffix (Ki, Mi, Gi, Ti, Pi, Ei), e.g. 50Ti',
});

export function quantityToBytes(q: string): bigint {
  const m = QUANTITY.exec(q);
  if (!m) throw new Error(`not a quantity: ${q}`);
  return BigInt(m[1]) * UNIT[m[2] ?? ''];
}

/** Bytes in the largest binary unit that divides them exactly (1024Gi -> 1Ti). */
export function formatBytes(bytes: bigint): string {
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
  let u = 0;
  let v = bytes;
  while (u < units.length - 1 && v !== 0n && v % 1024n === 0n) {
    v /= 1024n;
    u++;
  }
  return `${v}${units[u]}`;
}

/** Whole GiB of a quantity, rounded up (AWS storage APIs take GiB). */
export function quantityToGiB(q: string): number {
  const bytes = quantityToBytes(q);
  const gib = UNIT.Gi;
  return Number((bytes + gib - 1n) / gib);
}

/** A CPU count: whole cores or millicores (`64`, `500m`). */
export const CpuQuantity = z.string().regex(/^([1-9][0-9]*|[1-9][0-9]*m)$/, {
  message: 'must be a whole number of cores or of millicores, e.g. 64 or 500m',
});

export function cpuToMillis(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Number(q) * 1000;
}

export interface Ipv4Cidr {
  readonly network: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n` strictly: four decimal octets without leading zeros, host bits zero. */
export function parseCidr(value: string): Ipv4Cidr | string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!m) return 'must be an IPv4 CIDR block such as 10.20.0.0/16';
  const octets = m.slice(1, 5);
  if (octets.some((o) => (o.length > 1 && o.startsWith('0')) || Number(o) > 255)) {
    return 'must have four octets from 0 to 255, without leading zeros';
  }
  const prefix = Number(m[5]);
  if (prefix > 32) return 'must have a prefix length from 0 to 32';
  const address = octets.reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    const base = address - (address % size);
    return `has host bits set; the network address is ${formatIpv4(base)}/${prefix}`;
  }
  return { network: address, prefix };
}

export function formatIpv4(address: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(address / 2 ** s) % 256).join('.');
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const aEnd = a.network + 2 ** (32 - a.prefix);
  const bEnd = b.network + 2 ** (32 - b.prefix);
  return a.network < bEnd && b.network < aEnd;
}

export const Cidr = z.string().superRefine((value, ctx) => {
  const parsed = parseCidr(value);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

/** An IPv4 address, written as four decimal octets without leading zeros. */
export const Ipv4Address = z.string().superRefine((value, ctx) => {
  const parsed = parseCidr(`${value}/32`);
  if (typeof parsed === 'string' || value.includes('/'))
    ctx.addIssue({ code: 'custom', message: 'must be an IPv4 address such as 10.70.0.10' });
});

/** Whether an IPv4 address lies inside a CIDR block (false when either does not parse). */
export function addressInCidr(address: string, cidr: string): boolean {
  const a = parseCidr(`${address}/32`);
  const c = parseCidr(cidr);
  return typeof a !== 'string' && typeof c !== 'string' && cidrsOverlap(a, c);
}

/** A DNS name for egress allow-lists, optionally with one leading `*.` wildcard label. */
export const Fqdn = z
  .string()
  .max(253)
  .regex(/^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: 'must be a lower-case fully qualified domain name, optionally starting with "*."',
  });

/** An e-mail address, kept simple: something@domain.tld. */
export const Email = z
  .string()
  .regex(/^[^\s@]+@([a-z0-9-]+\.)+[a-z]{2,63}$/i, { message: 'must be an e-mail address' });

/** Free text that must say something. */
export const Text = z.string().trim().min(1, { message: 'must not be empty' });
