/**
 * The federation paths of the reachability report: each path platform.json declares (a manager's
 * enclave and Kueue namespace to one worker API endpoint), what reaches it on AWS and in the
 * manager's cluster, with the witness, and whether anything opens beyond it.
 */
import type { ReachAnalysis } from './index';
import type { Difference } from './types';

export interface FederationPathView {
  readonly federation: string;
  readonly manager: string;
  readonly worker: string;
  readonly from: string;
  readonly to: string;
  /** The declared endpoint, `address:port` (TCP). */
  readonly endpoint: string;
  /** On AWS: `reached`, `not reached`, or `not judged` (the manager's enclave has no VPC here). */
  readonly aws: 'reached' | 'not reached' | 'not judged';
  readonly awsWitness: readonly string[];
  /** In the manager's cluster (its Kueue namespace): likewise. */
  readonly cluster: 'reached' | 'not reached' | 'not judged';
  readonly clusterWitness: readonly string[];
  /** Findings of GEN-X-006 about this path's enclaves (beyond the endpoint, or not reached). */
  readonly differences: number;
}

export function federationPathViews(a: ReachAnalysis, diffs: readonly Difference[]): FederationPathView[] {
  return (a.intent?.paths ?? []).map((p) => {
    const vpc = a.aws?.net.vpcs.some((v) => v.enclave === p.managerEnclave);
    const viaAws = (a.aws?.openings ?? []).find(
      (o) => o.from === p.managerEnclave && o.to === p.workerEnclave && o.cidrs?.covers(p.endpoint),
    );
    const cluster = a.k8s.find((c) => c.cluster.split('/')[1] === p.manager);
    const inCluster = cluster?.federation?.declared.find((o) => o.to === `enclave:${p.workerEnclave}`);
    const mentions = (d: Difference) =>
      d.message.includes(`${p.managerEnclave} `) || d.message.includes(`${p.manager}`);
    return {
      federation: p.federation,
      manager: p.manager,
      worker: p.worker,
      from: p.managerEnclave,
      to: p.workerEnclave,
      endpoint: `${p.address}:${p.port}`,
      aws: !vpc ? 'not judged' : viaAws ? 'reached' : 'not reached',
      awsWitness: viaAws ? viaAws.witness.map((w) => w.text) : [],
      cluster: !cluster?.federation ? 'not judged' : inCluster ? 'reached' : 'not reached',
      clusterWitness: inCluster ? inCluster.witness.map((w) => w.text) : [],
      differences: diffs.filter(mentions).length,
    };
  });
}
