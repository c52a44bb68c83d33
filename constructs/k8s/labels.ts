/** The genesis labels every Kubernetes object carries (keys from the cross-target contract). */
import { LABEL, MANAGED_BY } from '../../infra/contract/names';

export interface LabelScope {
  readonly cluster: string;
  readonly site: string;
  readonly enclave?: string;
  readonly classification?: string;
  readonly tenant?: string;
  readonly dataset?: string;
  readonly tier?: string;
  readonly pool?: string;
}

/** Labels for an object of `scope`; keys are emitted in a fixed order. */
export function genesisLabels(scope: LabelScope): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL.managedBy]: MANAGED_BY,
    [LABEL.cluster]: scope.cluster,
    [LABEL.site]: scope.site,
  };
  if (scope.enclave) labels[LABEL.enclave] = scope.enclave;
  if (scope.classification) labels[LABEL.classification] = scope.classification;
  if (scope.tenant) labels[LABEL.tenant] = scope.tenant;
  if (scope.dataset) labels[LABEL.dataset] = scope.dataset;
  if (scope.tier) labels[LABEL.tier] = scope.tier;
  if (scope.pool) labels[LABEL.pool] = scope.pool;
  return labels;
}
