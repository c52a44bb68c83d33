/**
 * Intent = effect on AWS: each enclave reaches only the enclaves whose reachableFrom names it, the
 * internet only through its egress allow-list (none for restricted enclaves), and its resolver
 * answers only allowed names. Every other opening is a difference, with its witness.
 *
 * An enclave is restricted when platform.json says so or when the assembly's own evidence does
 * (policies/engine/network.ts: the VPC's tags and those of what it holds), so neither a retagged
 * VPC nor an edited intent lets a restricted enclave out. Without platform.json (inside CDK
 * synthesis) the restricted enclaves are still judged; reach between enclaves and the allow-lists
 * of public ones need the intent.
 */
import { VpcIndex } from '../../engine/network';
import type { ResourceRef, RuleContext } from '../../engine/types';
import type { Vpc } from './aws-model';
import type { AwsReach } from './aws-reach';
import { CidrSet } from './cidr';
import { mayReach, nameAllowed, RESTRICTED, type EnclaveIntent, type Intent } from './intent';
import { witnessRef, witnessText, type Difference, type Opening } from './types';

/** Names of AWS's own services and of the VPC's hosts: reached through endpoints, never the internet. */
export const AWS_INTERNAL_NAMES = (name: string): boolean =>
  /(^|\.)amazonaws\.com$/.test(name) || /(^|\.)compute\.internal$/.test(name);

const diff = (o: Opening, fallback: ResourceRef, why: string): Difference => ({
  target: 'aws',
  status: o.status === 'undecided' ? 'unknown' : 'fail',
  message: `${o.from} -> ${o.to}: ${o.what}; ${why}. Witness: ${witnessText(o.witness)}`,
  resource: o.culprit ?? witnessRef(o.witness, fallback),
});

interface Judged {
  readonly intent?: EnclaveIntent;
  readonly restricted: boolean;
  readonly why: string;
}

function judge(vpc: Vpc | undefined, e: EnclaveIntent | undefined, index: VpcIndex): Judged {
  const evidence = vpc ? index.restricted(vpc.item) === true : false;
  if (e && RESTRICTED.has(e.classification))
    return {
      intent: e,
      restricted: true,
      why: `enclave ${e.id} is ${e.classification} and declares no egress`,
    };
  if (evidence)
    return {
      intent: e,
      restricted: true,
      why: `the assembly shows ${vpc?.item.logicalId} as a restricted enclave`,
    };
  return { intent: e, restricted: false, why: '' };
}

function internetDifference(
  o: Opening,
  j: Judged,
  hasIntent: boolean,
  fallback: ResourceRef,
): Difference | undefined {
  if (j.restricted) return diff(o, fallback, j.why);
  if (!hasIntent) return undefined;
  const e = j.intent;
  if (!e) return diff(o, fallback, 'the VPC is no enclave of the intent, so nothing may leave it');
  if (o.status === 'undecided') return diff(o, fallback, 'what passes cannot be decided');
  if (e.egress.mode === 'none') return diff(o, fallback, `enclave ${e.id} declares no egress`);
  const problems: string[] = [];
  const extraCidrs = (o.cidrs ?? CidrSet.EMPTY).minus(e.egress.cidrs);
  const extraNames = (o.names ?? []).filter((n) => !nameAllowed(n, e.egress.fqdns));
  if (!extraCidrs.isEmpty()) problems.push(`addresses beyond the egress allow-list: ${extraCidrs}`);
  if (extraNames.length) problems.push(`names beyond the egress allow-list: ${extraNames.join(', ')}`);
  return problems.length ? diff(o, fallback, problems.join('; ')) : undefined;
}

function dnsDifferences(
  reach: AwsReach,
  judged: (enclave: string) => Judged,
  hasIntent: boolean,
): Difference[] {
  const out: Difference[] = [];
  for (const [enclave, d] of reach.dns) {
    const j = judged(enclave);
    if (!j.restricted && (!hasIntent || !j.intent)) continue;
    const ref = d.vpc.item.ref;
    const allowList = !j.restricted && j.intent?.egress.mode === 'allow-list' ? j.intent.egress.fqdns : [];
    const extra = d.names.filter((n) => !AWS_INTERNAL_NAMES(n) && !nameAllowed(n, allowList));
    const allowing = d.witness.filter((w) =>
      extra.some((n) => w.text.includes(` ${n}`) || (n === '*' && /answers/.test(w.text))),
    );
    if (extra.length)
      out.push({
        target: 'aws',
        status: 'fail',
        message: `${enclave} -> DNS: the resolver answers ${extra.join(', ')}, beyond ${allowList.length ? 'the egress allow-list' : 'the names of AWS services'}. Witness: ${witnessText(d.witness)}`,
        resource: allowing.find((w) => w.ref)?.ref ?? ref,
      });
    for (const u of d.undecided)
      out.push({ target: 'aws', status: 'unknown', message: `${enclave} -> DNS: ${u}`, resource: ref });
  }
  return out;
}

export function awsDifferences(
  ctx: RuleContext,
  reach: AwsReach,
  intent: Intent | undefined,
  fallback: ResourceRef,
): Difference[] {
  const out: Difference[] = [];
  const index = new VpcIndex(ctx);
  const byId = new Map((intent?.enclaves ?? []).map((e) => [e.id, e]));
  const judged = (enclave: string) =>
    judge(
      reach.net.vpcs.find((v) => v.enclave === enclave),
      byId.get(enclave),
      index,
    );
  for (const o of reach.openings) {
    if (o.to === 'internet') {
      const d = internetDifference(o, judged(o.from), intent !== undefined, fallback);
      if (d) out.push(d);
      continue;
    }
    if (!intent) continue;
    const from = byId.get(o.from);
    const to = byId.get(o.to);
    if (!from || !to) out.push(diff(o, fallback, `${!from ? o.from : o.to} is no enclave of the intent`));
    else if (!mayReach(from, to))
      out.push(diff(o, fallback, `enclave ${to.id} does not list ${from.id} in reachableFrom`));
  }
  out.push(...dnsDifferences(reach, judged, intent !== undefined));
  for (const e of intent?.enclaves ?? []) {
    const onAws = reach.net.vpcs.length > 0 && intent?.awsSites.has(e.site);
    if (onAws && !reach.net.vpcs.some((v) => v.enclave === e.id))
      out.push({
        target: 'aws',
        status: 'unknown',
        message: `enclave ${e.id} of an AWS site has no VPC in the assembly whose CIDR is ${e.cidrText}`,
        resource: fallback,
      });
  }
  return out;
}
