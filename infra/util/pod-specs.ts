/**
 * Every pod spec inside a Kubernetes object, whatever the workload kind (Pod, Deployment, Job,
 * CronJob, JobSet, a RayCluster...): any object holding a `containers` list is taken as one. The
 * policy engine (which judges every pod a tenant can run) and the Pulumi program (which resolves
 * what pods refer to) read pods the same way.
 */
import { isRecord } from './records';

export interface PodSpecAt {
  readonly spec: Record<string, unknown>;
  /** Where inside the object, e.g. spec.template.spec. */
  readonly path: string;
}

export function podSpecs(object: object): PodSpecAt[] {
  const o = object as { readonly spec?: unknown; readonly template?: unknown };
  const out: PodSpecAt[] = [];
  walk(o.spec, 'spec', out);
  // A PodTemplate holds its pod template at the top level (template.spec), not under spec.
  if (isRecord(o.template)) walk(o.template, 'template', out);
  return out;
}

// A function of the module, not a closure made per call: the policy engine reads every object's
// pods, and tsx names every closure it creates.
function walk(v: unknown, path: string, out: PodSpecAt[]): void {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) walk(v[i], `${path}[${i}]`, out);
    return;
  }
  if (!isRecord(v)) return;
  if (Array.isArray(v.containers)) {
    out.push({ spec: v, path });
    return;
  }
  for (const [k, x] of Object.entries(v))
    if (k !== 'metadata' && k !== 'status') walk(x, path ? `${path}.${k}` : k, out);
}
