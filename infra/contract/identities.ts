/**
 * Identities the API server sees on requests of the cluster's own controllers, which admission
 * policies trust and the admission corpus (policies/analysis/admission) submits requests as.
 */

/** Kueue's controller manager (the upstream manifests: namespace kueue-system). */
export const KUEUE_USER = 'system:serviceaccount:kueue-system:kueue-controller-manager';

/** The scheduling gate Kueue's pod integration puts on a pod until its workload is admitted. */
export const KUEUE_ADMISSION_GATE = 'kueue.x-k8s.io/admission';

/** The kube-controller-manager's own identity (without --use-service-account-credentials). */
export const KUBE_CONTROLLER_MANAGER_USER = 'system:kube-controller-manager';

/** The controller that creates the pods of each owner kind, by its service account. */
export const POD_CONTROLLER_USERS: Readonly<Record<string, string>> = {
  DaemonSet: 'system:serviceaccount:kube-system:daemon-set-controller',
  Job: 'system:serviceaccount:kube-system:job-controller',
  ReplicaSet: 'system:serviceaccount:kube-system:replicaset-controller',
  StatefulSet: 'system:serviceaccount:kube-system:statefulset-controller',
};
