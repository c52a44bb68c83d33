/**
 * Typed custom resources. cdk8s-cli can import a CRD into L1 classes, but the generated code for
 * these CRDs runs to tens of thousands of lines (the ClusterPolicy schema alone is ~6,000 lines of
 * YAML) and would be checked in; a hand-written props interface per kind, holding only the fields
 * the platform sets, is smaller and is checked against the real CRD by policies/conformance.
 */
import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

export interface CustomResourceProps<Spec> {
  /** A stable name is required: cdk8s would otherwise add a hash. */
  readonly metadata: ApiObjectMetadata & { readonly name: string };
  readonly spec: Spec;
}

export interface GroupVersionKind {
  readonly apiVersion: string;
  readonly kind: string;
}

/** Creates an ApiObject of a custom kind with a typed spec (top-level `spec` only). */
export function customResource<Spec>(scope: Construct, id: string, gvk: GroupVersionKind, props: CustomResourceProps<Spec>): ApiObject {
  return new ApiObject(scope, id, { ...gvk, metadata: props.metadata, spec: props.spec });
}
