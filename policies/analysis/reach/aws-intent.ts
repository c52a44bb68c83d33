/**
 * Intent = effect on AWS: each enclave reaches only the enclaves whose reachableFrom names it, the
 * internet only through its egress allow-list (none for restricted enclaves), and its resolver
 * answers only allowed names. Every other opening is a difference, with its witness.
 */
import type { ResourceRef } from '../../engine/types';
import type { AwsReach } from './aws-reach';
import { CidrSet } from './cidr';
import { mayReach, nameAllowed, type EnclaveIntent, type Intent } from './intent';
import { witnessRef, witnessText, type Difference, type Opening } from './types';

/** Names of AWS's own services and of the VPC's hosts: reached through endpoints, never the internet. */
export const AWS_INTERNAL_NAMES = (name: string): boolean => /(^|\.)amazonaws\.com$/.test(name) || /(^|\.)compute\.internal$/.test(name);

const diff = (o: Opening, fallback: ResourceRef, why: string): Difference => ({
  target: 'aws',
  status: o.status === 'undecided' ? 'unknown' : 'fail',
  message: `${o.from} -> ${o.to}: ${o.what}; ${why}. Witness: ${witnessText(o.witness)}`,
  resource: o.culprit ?? witnessRef(o.witness, fallback),
});

function internetDifference(o: Opening, e: EnclaveIntent | undefined, fallback: ResourceRef): Difference | undefined {
  if (!e) return diff(o, fallback, 'the VPC is no enclave of the intent, so nothing may leave it');
  if (o.status === 'undecided') return diff(o, fallback, 'what passes cannot be decided');
  if (e.egress.mode === 'none') return diff(o, fallback, `enclave ${e.id} (${e.classification}) declares no egress`);
  const problems: string[] = [];
  const extraCidrs = (o.cidrs ?? CidrSet.EMPTY).minus(e.egress.cidrs);
  const extraNames = (o.names ?? []).filter((n) => !nameAllowed(n, e.egress.fqdns));
  if (!extraCidrs.isEmpty()) problems.push(`addresses beyond the egress allow-list: ${extraCidrs}`);
  if (extraNames.length) problems.push(`names beyond the egress allow-list: ${extraNames.join(', ')}`);
  return problems.length ? diff(o, fallback, problems.join('; ')) : undefined;
}

export function awsDifferences(reach: AwsReach, intent: Intent, fallback: ResourceRef): Difference[] {
  const out: Difference[] = [];
  const byId = new Map(intent.enclaves.map((e) => [e.id, e]));
  for (const o of reach.openings) {
    const from = byId.get(o.from);
    if (o.to === 'internet') {
      const d = internetDifference(o, from, fallback);
      if (d) out.push(d);
      continue;
    }
    const to = byId.get(o.to);
    if (!from || !to) out.push(diff(o, fallback, `${!from ? o.from : o.to} is no enclave of the intent`));
    else if (!mayReach(from, to)) out.push(diff(o, fallback, `enclave ${to.id} does not list ${from.id} in reachableFrom`));
  }
  for (const [enclave, d] of reach.dns) {
    const e = byId.get(enclave);
    const ref = d.witness.find((w) => w.ref)?.ref ?? d.vpc.item.ref;
    const extra = d.names.filter((n) => !AWS_INTERNAL_NAMES(n) && !(e && e.egress.mode === 'allow-list' && nameAllowed(n, e.egress.fqdns)));
    const allowing = d.witness.filter((w) => extra.some((n) => w.text.includes(` ${n}`) || (n === '*' && /answers/.test(w.text))));
    if (extra.length)
      out.push({
        target: 'aws',
        status: 'fail',
        message: `${enclave} -> DNS: the resolver answers ${extra.join(', ')}, beyond ${e ? `the egress allow-list of ${e.id}` : 'any intent'}. Witness: ${witnessText(d.witness)}`,
        resource: allowing.find((w) => w.ref)?.ref ?? ref,
      });
    for (const u of d.undecided) out.push({ target: 'aws', status: 'unknown', message: `${enclave} -> DNS: ${u}`, resource: ref });
  }
  for (const e of intent.enclaves) {
    const onAws = reach.net.vpcs.length > 0 && intent.awsSites.has(e.site);
    if (onAws && !reach.net.vpcs.some((v) => v.enclave === e.id)) out.push({ target: 'aws', status: 'unknown', message: `enclave ${e.id} of an AWS site has no VPC in the assembly whose CIDR is ${e.cidrText}`, resource: fallback });
  }
  return out;
}
