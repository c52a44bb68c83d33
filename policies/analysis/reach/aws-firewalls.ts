/**
 * What an AWS Network Firewall lets out (stateless rules, stateful domain allow-lists and 5-tuple
 * rules, default actions), and which names a VPC's Route 53 Resolver DNS firewall resolves (rule
 * groups by association priority, rules by priority, the first match decides).
 */
import { asArray, isRecord, type CfnItem } from '../../engine/cfn/template';
import type { AwsNetwork, Vpc } from './aws-model';
import { CidrSet } from './cidr';
import type { WitnessStep } from './types';

export interface FirewallVerdict {
  /** Addresses that pass whatever the name (stateless pass, a PASS 5-tuple rule, a passing default). */
  readonly passCidrs: CidrSet;
  /** Names a stateful allow-list lets through (TLS SNI, HTTP Host). */
  readonly domains: readonly string[];
  readonly steps: readonly WitnessStep[];
  /** Rules the analysis cannot read (Suricata rule strings, groups outside the assembly). */
  readonly undecided: readonly string[];
}

const addressSet = (defs: unknown, net: AwsNetwork): CidrSet => {
  const list = asArray(defs).map((d) => (isRecord(d) ? d.AddressDefinition : d));
  if (list.length === 0) return CidrSet.ALL;
  return list.reduce<CidrSet>(
    (acc, a) => acc.union(a === 'ANY' ? CidrSet.ALL : (net.cidrOf(a) ?? CidrSet.ALL)),
    CidrSet.EMPTY,
  );
};

function statelessPass(group: CfnItem, net: AwsNetwork): CidrSet {
  const rg = isRecord(group.props.RuleGroup) ? group.props.RuleGroup : {};
  const src =
    isRecord(rg.RulesSource) && isRecord(rg.RulesSource.StatelessRulesAndCustomActions)
      ? rg.RulesSource.StatelessRulesAndCustomActions
      : {};
  let pass = CidrSet.EMPTY;
  const rules = asArray(src.StatelessRules)
    .filter(isRecord)
    .sort((a, b) => Number(a.Priority) - Number(b.Priority));
  for (const r of rules) {
    const def = isRecord(r.RuleDefinition) ? r.RuleDefinition : {};
    const actions = asArray(def.Actions).map(String);
    const m = isRecord(def.MatchAttributes) ? def.MatchAttributes : {};
    if (actions.includes('aws:pass')) pass = pass.union(addressSet(m.Destinations, net));
  }
  return pass;
}

function statefulGroup(
  group: CfnItem,
  net: AwsNetwork,
): { pass: CidrSet; domains: string[]; undecided?: string } {
  const rg = isRecord(group.props.RuleGroup) ? group.props.RuleGroup : {};
  const src = isRecord(rg.RulesSource) ? rg.RulesSource : {};
  if (isRecord(src.RulesSourceList)) {
    const l = src.RulesSourceList;
    if (l.GeneratedRulesType === 'ALLOWLIST')
      return { pass: CidrSet.EMPTY, domains: asArray(l.Targets).map(String) };
    return { pass: CidrSet.EMPTY, domains: [] };
  }
  if (src.StatefulRules !== undefined) {
    let pass = CidrSet.EMPTY;
    for (const r of asArray(src.StatefulRules).filter(isRecord)) {
      const h = isRecord(r.Header) ? r.Header : {};
      if (String(r.Action).toUpperCase() === 'PASS')
        pass = pass.union(h.Destination === 'ANY' ? CidrSet.ALL : (net.cidrOf(h.Destination) ?? CidrSet.ALL));
    }
    return { pass, domains: [] };
  }
  return {
    pass: CidrSet.EMPTY,
    domains: [],
    undecided: `rule group ${group.logicalId} holds rules the analysis cannot read (a Suricata rule string)`,
  };
}

/** What a firewall lets out, from its policy. */
export function firewallVerdict(fw: CfnItem, net: AwsNetwork): FirewallVerdict {
  const policyItem = net.byRef.get(fw.props.FirewallPolicyArn);
  const steps: WitnessStep[] = [{ text: `network firewall ${fw.logicalId}`, ref: fw.ref }];
  if (!policyItem)
    return {
      passCidrs: CidrSet.ALL,
      domains: [],
      steps,
      undecided: [`firewall policy ${String(fw.props.FirewallPolicyArn)} is not in the assembly`],
    };
  const pol = isRecord(policyItem.props.FirewallPolicy) ? policyItem.props.FirewallPolicy : {};
  steps.push({ text: `firewall policy ${policyItem.logicalId}`, ref: policyItem.ref });
  const undecided: string[] = [];
  let pass = CidrSet.EMPTY;
  const domains: string[] = [];
  if (asArray(pol.StatelessDefaultActions).map(String).includes('aws:pass')) {
    pass = CidrSet.ALL;
    steps.push({ text: 'stateless default action aws:pass (nothing inspected)', ref: policyItem.ref });
  }
  for (const ref of asArray(pol.StatelessRuleGroupReferences).filter(isRecord)) {
    const g = net.byRef.get(ref.ResourceArn);
    if (!g) undecided.push(`stateless rule group ${String(ref.ResourceArn)} is not in the assembly`);
    else {
      const p = statelessPass(g, net);
      if (!p.isEmpty()) steps.push({ text: `stateless rule group ${g.logicalId} passes ${p}`, ref: g.ref });
      pass = pass.union(p);
    }
  }
  for (const ref of asArray(pol.StatefulRuleGroupReferences).filter(isRecord)) {
    const g = net.byRef.get(ref.ResourceArn);
    if (!g) {
      undecided.push(`stateful rule group ${String(ref.ResourceArn)} is not in the assembly`);
      continue;
    }
    const v = statefulGroup(g, net);
    if (v.undecided) undecided.push(v.undecided);
    if (!v.pass.isEmpty())
      steps.push({ text: `stateful rule group ${g.logicalId} passes ${v.pass}`, ref: g.ref });
    if (v.domains.length)
      steps.push({
        text: `stateful rule group ${g.logicalId} allows the names ${v.domains.join(', ')}`,
        ref: g.ref,
      });
    pass = pass.union(v.pass);
    domains.push(...v.domains);
  }
  const defaults = asArray(pol.StatefulDefaultActions).map(String);
  if (!defaults.some((a) => a === 'aws:drop_established' || a === 'aws:drop_strict')) {
    pass = CidrSet.ALL;
    steps.push({ text: 'no stateful default drop: what no rule matches passes', ref: policyItem.ref });
  }
  return { passCidrs: pass, domains: [...new Set(domains)].sort(), steps, undecided };
}

export interface DnsVerdict {
  /** Name patterns the VPC resolver answers (`*` for every name). */
  readonly names: readonly string[];
  readonly steps: readonly WitnessStep[];
  readonly undecided: readonly string[];
}

/** The names a VPC's resolver answers, through its DNS firewall rule groups in order. */
export function dnsVerdict(net: AwsNetwork, vpc: Vpc): DnsVerdict {
  const steps: WitnessStep[] = [];
  const undecided: string[] = [];
  const names: string[] = [];
  const associations = [...net.ofType('AWS::Route53Resolver::FirewallRuleGroupAssociation')]
    .filter((a) => net.vpcOf(a.props.VpcId) === vpc)
    .sort((a, b) => Number(a.props.Priority) - Number(b.props.Priority));
  for (const a of associations) {
    const group = net.byRef.get(a.props.FirewallRuleGroupId);
    if (!group) {
      undecided.push(`DNS firewall rule group ${String(a.props.FirewallRuleGroupId)} is not in the assembly`);
      continue;
    }
    const rules = asArray(group.props.FirewallRules)
      .filter(isRecord)
      .sort((x, y) => Number(x.Priority) - Number(y.Priority));
    for (const r of rules) {
      const list = net.byRef.get(r.FirewallDomainListId);
      const domains = list ? asArray(list.props.Domains).map(String) : undefined;
      const where = `DNS firewall rule group ${group.logicalId} (association priority ${String(a.props.Priority)}), rule priority ${String(r.Priority)}`;
      if (!domains || list?.props.DomainFileUrl !== undefined) {
        undecided.push(`${where}: domain list ${String(r.FirewallDomainListId)} cannot be read`);
        continue;
      }
      const action = String(r.Action).toUpperCase();
      if (action === 'ALLOW') {
        names.push(...domains);
        steps.push({ text: `${where} allows ${domains.join(', ')}`, ref: group.ref });
      } else if (action === 'BLOCK' && domains.includes('*')) {
        steps.push({ text: `${where} blocks every other name`, ref: group.ref });
        return { names: [...new Set(names)].sort(), steps, undecided };
      }
    }
  }
  steps.push({
    text: associations.length
      ? 'no DNS firewall rule blocks every other name: the resolver answers them'
      : `VPC ${vpc.item.logicalId} has no DNS firewall: its resolver answers every name`,
    ref: associations[0]?.ref ?? vpc.item.ref,
  });
  return { names: [...new Set([...names, '*'])].sort(), steps, undecided };
}
