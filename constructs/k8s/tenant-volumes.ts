/**
 * Dataset volumes of a tenant on one cluster: for each dataset granted to the tenant that lives on
 * this cluster's site, a statically provisioned PersistentVolume (cluster-scoped, no namespace)
 * pre-bound to a PersistentVolumeClaim in the tenant namespace. Read grants are read-only at
 * every layer: ReadOnlyMany, `csi.readOnly`, and the driver's read-only mount option.
 * Reclaim policy Retain: deleting a claim never deletes a dataset.
 */
import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { ANNOTATION, LABEL, tenantNamespace } from '../../infra/contract';
import { datasetGrants, type ClusterContext } from './context';
import { datasetVolumeName, datasetVolumeSource, type K8sOptions } from './storage';

/**
 * Capacity of a static dataset volume. Shared file and object systems ignore it (it is not a
 * reservation), but the API requires one and the claim must not ask for more.
 */
export const DATASET_VOLUME_CAPACITY = '1Gi';

export function datasetClaimName(datasetId: string): string {
  return `dataset-${datasetId}`;
}

/** Datasets granted to the tenant on this site whose volume cannot be written without AWS ids. */
export function unresolvedDatasetVolumes(
  ctx: ClusterContext,
  tenantId: string,
  options: K8sOptions = {},
): string[] {
  return datasetGrants(ctx, tenantId)
    .filter(({ grant, dataset, tier }) => !datasetVolumeSource(ctx, tier, dataset, grant, options))
    .map(({ dataset }) => dataset.id);
}

export function addDatasetVolumes(
  scope: Construct,
  ctx: ClusterContext,
  tenantId: string,
  options: K8sOptions = {},
): void {
  const namespace = tenantNamespace(tenantId);
  for (const { grant, dataset, tier } of datasetGrants(ctx, tenantId)) {
    const source = datasetVolumeSource(ctx, tier, dataset, grant, options);
    if (!source) continue;
    const readOnly = grant.access === 'read';
    const accessModes = [readOnly ? 'ReadOnlyMany' : 'ReadWriteMany'];
    const labels = {
      ...ctx.labels({ tenant: tenantId, dataset: dataset.id, tier: tier.tier.id }),
      // The data's own classification, not the enclave's.
      [LABEL.classification]: dataset.classification,
    };
    const pvName = datasetVolumeName(tenantId, dataset.id);
    const claim = datasetClaimName(dataset.id);
    new k8s.KubePersistentVolume(scope, `pv-${dataset.id}`, {
      metadata: {
        name: pvName,
        labels,
        annotations: { [ANNOTATION.grantExpires]: grant.expires, [ANNOTATION.access]: grant.access },
      },
      spec: {
        accessModes,
        capacity: { storage: k8s.Quantity.fromString(DATASET_VOLUME_CAPACITY) },
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        volumeMode: 'Filesystem',
        ...(source.mountOptions.length > 0 ? { mountOptions: [...source.mountOptions] } : {}),
        // Pre-bound: no other claim, in this namespace or another, can take this volume.
        claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name: claim },
        csi: {
          driver: source.driver,
          volumeHandle: source.volumeHandle,
          readOnly,
          ...(Object.keys(source.volumeAttributes).length > 0
            ? { volumeAttributes: { ...source.volumeAttributes } }
            : {}),
          ...(source.nodeStageSecretRef ? { nodeStageSecretRef: { ...source.nodeStageSecretRef } } : {}),
        },
      },
    });
    new k8s.KubePersistentVolumeClaim(scope, `pvc-${dataset.id}`, {
      metadata: {
        name: claim,
        namespace,
        labels,
        annotations: { [ANNOTATION.grantExpires]: grant.expires, [ANNOTATION.access]: grant.access },
      },
      spec: {
        accessModes,
        storageClassName: '',
        volumeMode: 'Filesystem',
        volumeName: pvName,
        resources: { requests: { storage: k8s.Quantity.fromString(DATASET_VOLUME_CAPACITY) } },
      },
    });
  }
}
