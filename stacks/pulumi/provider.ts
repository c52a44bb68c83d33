/**
 * The explicit Kubernetes provider of a stack. Nothing is deployed through the ambient default
 * provider: the kubeconfig context is always named in the stack config.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { isKubeconfigContents, type Settings } from './settings';

/** The provider's logical name: stable, so that its resources keep their URNs. */
export function providerName(clusterId: string): string {
  return `k8s-${clusterId}`;
}

export function providerArgs(settings: Settings): k8s.ProviderArgs {
  const kubeconfig = settings.kubeconfig;
  return {
    // Contents are credentials: keep them encrypted in state. A path is not a secret.
    ...(kubeconfig !== undefined
      ? { kubeconfig: isKubeconfigContents(kubeconfig) ? pulumi.secret(kubeconfig) : kubeconfig }
      : {}),
    context: settings.context,
    // Server-side apply: Pulumi owns exactly the fields it sets; a field another manager owns (a
    // `kubectl apply --server-side` of the same manifests, an operator) is a conflict that stops
    // the update instead of a silent overwrite. Patch-force stays off for the same reason.
    enableServerSideApply: true,
    // The cluster, not the kubeconfig, identifies the provider: rotating credentials or moving
    // the kubeconfig file updates the provider instead of replacing it, which would delete and
    // re-create every namespace (and everything in it) the stack owns.
    clusterIdentifier: `genesis/${settings.cluster}`,
  };
}

export function clusterProvider(settings: Settings): k8s.Provider {
  return new k8s.Provider(providerName(settings.cluster), providerArgs(settings));
}
