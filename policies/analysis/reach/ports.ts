/** Protocols and port ranges: what a rule admits, and whether it covers or touches a flow. */

/** A protocol number (-1 for all) and an inclusive port range (0-65535 when the protocol has no ports). */
export interface Service {
  readonly proto: number;
  readonly lo: number;
  readonly hi: number;
}

const NAMES: Record<string, number> = { all: -1, '-1': -1, tcp: 6, udp: 17, icmp: 1, icmpv6: 58, sctp: 132 };
const LABEL: Record<number, string> = {
  [-1]: 'all',
  6: 'tcp',
  17: 'udp',
  1: 'icmp',
  58: 'icmpv6',
  132: 'sctp',
};

export const ANY: Service = { proto: -1, lo: 0, hi: 65535 };

/** A protocol as AWS or Kubernetes writes it (`tcp`, `TCP`, `6`, `-1`), or undefined. */
export function protoNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (s in NAMES) return NAMES[s];
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

const hasPorts = (proto: number) => proto === 6 || proto === 17 || proto === 132;

/** A service from a protocol and a port range; ports are ignored for protocols that have none. */
export function service(proto: number, lo?: number, hi?: number): Service {
  if (!hasPorts(proto) || lo === undefined || lo < 0) return { proto, lo: 0, hi: 65535 };
  return { proto, lo, hi: hi === undefined || hi < 0 ? lo : hi };
}

/** Whether `rule` admits every packet of `flow`. */
export function covers(rule: Service, flow: Service): boolean {
  if (rule.proto !== -1 && rule.proto !== flow.proto) return false;
  if (rule.proto === -1) return true;
  return !hasPorts(rule.proto) || (rule.lo <= flow.lo && rule.hi >= flow.hi);
}

/** Whether `rule` admits some packet of `flow`. */
export function overlaps(rule: Service, flow: Service): boolean {
  if (rule.proto !== -1 && flow.proto !== -1 && rule.proto !== flow.proto) return false;
  if (!hasPorts(rule.proto) || !hasPorts(flow.proto)) return true;
  return rule.lo <= flow.hi && flow.lo <= rule.hi;
}

/** The packets both admit (a rule of protocol all narrowed to the flow's protocol and ports). */
export function meet(a: Service, b: Service): Service | undefined {
  if (!overlaps(a, b)) return undefined;
  const proto = a.proto === -1 ? b.proto : a.proto;
  if (!hasPorts(proto)) return { proto, lo: 0, hi: 65535 };
  const lo = Math.max(hasPorts(a.proto) ? a.lo : 0, hasPorts(b.proto) ? b.lo : 0);
  const hi = Math.min(hasPorts(a.proto) ? a.hi : 65535, hasPorts(b.proto) ? b.hi : 65535);
  return { proto, lo, hi };
}

export function describe(s: Service): string {
  const p = LABEL[s.proto] ?? `protocol ${s.proto}`;
  if (!hasPorts(s.proto) || (s.lo === 0 && s.hi === 65535))
    return s.proto === -1 ? 'all traffic' : `${p} (all ports)`;
  return s.lo === s.hi ? `${p}/${s.lo}` : `${p}/${s.lo}-${s.hi}`;
}

/** The services a flow probe set covers: every protocol, then TCP and UDP over all ports. */
export const PROBES: readonly Service[] = [
  service(6, 0, 65535),
  service(17, 0, 65535),
  service(1),
  service(58),
];
