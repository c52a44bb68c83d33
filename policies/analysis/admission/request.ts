/** An admission request as the API server hands it to ValidatingAdmissionPolicies. */
export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionRequest {
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly resource: { readonly group: string; readonly version: string; readonly resource: string };
  readonly subResource?: string;
  readonly operation: Operation;
  /** Absent for cluster-scoped objects. */
  readonly namespace?: string;
  readonly name: string;
  readonly userInfo: { readonly username: string; readonly groups: readonly string[] };
  readonly object: Record<string, unknown> | null;
  readonly oldObject: Record<string, unknown> | null;
}

/** What the API server decides, and which policy said so. */
export interface Decision {
  readonly allowed: boolean;
  /** Policies whose Deny-bound validation failed (or failed closed on an error), with the message. */
  readonly deniedBy: ReadonlyArray<{
    readonly policy: string;
    readonly binding: string;
    readonly message: string;
  }>;
  /** Policies that matched the request (after match conditions), whatever their verdict. */
  readonly matched: readonly string[];
}

const GROUP_OF_VERSION = (apiVersion: string): { group: string; version: string } => {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
};

/** Plural resource of the kinds the corpus submits. */
const RESOURCE_OF_KIND: Readonly<Record<string, string>> = {
  Pod: 'pods',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  ReplicaSet: 'replicasets',
  PersistentVolumeClaim: 'persistentvolumeclaims',
  Namespace: 'namespaces',
};

/** A request for `object` (or, on DELETE, `oldObject`) as the user submits it. */
export function requestFor(
  operation: Operation,
  username: string,
  object: Record<string, unknown> | null,
  oldObject: Record<string, unknown> | null = null,
  subResource?: string,
): AdmissionRequest {
  const subject = (object ?? oldObject) as {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
  };
  const gv = GROUP_OF_VERSION(subject.apiVersion);
  const groups = username.startsWith('system:serviceaccount:')
    ? ['system:serviceaccounts', `system:serviceaccounts:${username.split(':')[2]}`, 'system:authenticated']
    : ['system:authenticated'];
  return {
    kind: { ...gv, kind: subject.kind },
    resource: { ...gv, resource: RESOURCE_OF_KIND[subject.kind] ?? `${subject.kind.toLowerCase()}s` },
    ...(subResource ? { subResource } : {}),
    operation,
    ...(subject.metadata.namespace ? { namespace: subject.metadata.namespace } : {}),
    name: subject.metadata.name,
    userInfo: { username, groups },
    object,
    oldObject,
  };
}
