/**
 * An enclave's network as every AWS stack that holds one builds it (a platform site's or a
 * partner's): the EnclaveNetwork with the site's log names, tagged with the enclave and its
 * classification. Construct ids are those the site stack always had.
 */
import { Tags, type Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TAG } from '../../infra/contract/names';
import { EnclaveNetwork } from '../../constructs/aws/enclave-network';
import { firewallLogGroupName, flowLogGroupName } from '../../constructs/aws/names';
import type { Enclave } from '../../infra/model';
import { constructId } from '../../constructs/aws/ids';

export function tagEnclave(scope: Construct, enclave: Enclave): void {
  Tags.of(scope).add(TAG.enclave, enclave.id);
  Tags.of(scope).add(TAG.classification, enclave.classification);
}

export interface EnclaveNetworkHost {
  readonly siteId: string;
  readonly availabilityZones: readonly string[];
  readonly logKey: kms.IKey;
  /** Whether a cluster runs in the enclave (its nodes need the EKS endpoints). */
  readonly kubernetesEndpoints: boolean;
}

export function addEnclaveNetwork(stack: Stack, enclave: Enclave, host: EnclaveNetworkHost): EnclaveNetwork {
  const network = new EnclaveNetwork(stack, `Enclave${constructId(enclave.id)}`, {
    name: `genesis-${enclave.id}`,
    cidr: enclave.cidr,
    egress: enclave.egress,
    availabilityZones: host.availabilityZones,
    logKey: host.logKey,
    flowLogGroupName: flowLogGroupName(host.siteId, enclave.id),
    firewallLogGroupName: firewallLogGroupName(host.siteId, enclave.id),
    kubernetesEndpoints: host.kubernetesEndpoints,
  });
  tagEnclave(network, enclave);
  return network;
}
