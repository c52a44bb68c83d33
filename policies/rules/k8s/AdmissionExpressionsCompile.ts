import { k8s } from '../../examples/builders';
import { compile } from '../../analysis/admission/cel';
import { isRec, k8sDocs, refOf, specOf } from '../../engine/k8s';
import { defineRule } from '../../engine/rule-kit';
import type { K8sObject } from '../../engine/types';

/** Every CEL expression of a policy, with where it sits. */
function expressions(spec: Record<string, unknown>): Array<{ at: string; expression: unknown }> {
  const out: Array<{ at: string; expression: unknown }> = [];
  const each = (field: string, keys: readonly string[]) =>
    (Array.isArray(spec[field]) ? (spec[field] as unknown[]) : []).forEach((e, i) => {
      for (const k of keys)
        if (isRec(e) && e[k] !== undefined) out.push({ at: `spec.${field}[${i}].${k}`, expression: e[k] });
    });
  each('matchConditions', ['expression']);
  each('variables', ['expression']);
  each('validations', ['expression', 'messageExpression']);
  each('auditAnnotations', ['valueExpression']);
  return out;
}

const vap = (spec: Record<string, unknown>): K8sObject => ({
  apiVersion: 'admissionregistration.k8s.io/v1',
  kind: 'ValidatingAdmissionPolicy',
  metadata: { name: 'p' },
  spec,
});

export default defineRule({
  id: 'GEN-K8S-ADM-002',
  title: 'Every expression of an admission policy compiles (and the policy can be evaluated)',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['CM-6', 'SI-10'],
  rationale:
    'An expression the evaluator cannot compile cannot be judged: the API server would reject the policy or fail every request by failurePolicy, and the admission corpus (GEN-K8S-ADM-001) could not prove what it does. Parameterised policies (paramKind) are outside what the platform writes and what the evaluator runs.',
  remediation:
    'Write the expression in the CEL the platform uses (no optional-field syntax `.?`, no Kubernetes extension libraries), or remove the policy; parameterised policies need a reviewed exception.',
  *check(ctx) {
    for (const d of k8sDocs(ctx, 'ValidatingAdmissionPolicy')) {
      const spec = specOf(d.object);
      const problems: string[] = [];
      if (spec.paramKind !== undefined)
        problems.push('spec.paramKind: parameterised policies cannot be evaluated');
      for (const { at, expression } of expressions(spec)) {
        const p = typeof expression === 'string' ? compile(expression) : 'not a string';
        if (typeof p === 'string') problems.push(`${at}: ${p}`);
      }
      if (!Array.isArray(spec.validations) || spec.validations.length === 0)
        problems.push('spec.validations: no validation');
      if (problems.length) yield { resource: refOf(d), status: 'fail', message: problems.join('; ') };
    }
  },
  examples: [
    {
      name: 'an expression that parses',
      artifacts: k8s([vap({ validations: [{ expression: "object.metadata.name != 'x'" }] })]),
      expect: { fires: false },
    },
    {
      name: 'the optional-field syntax',
      artifacts: k8s([vap({ validations: [{ expression: 'object.?spec.orValue(1) == 1' }] })]),
      expect: { fires: true, message: /spec\.validations\[0\]\.expression/ },
    },
    {
      name: 'a truncated match condition',
      artifacts: k8s([
        vap({
          matchConditions: [{ name: 'c', expression: 'request.userInfo.username ==' }],
          validations: [{ expression: 'true' }],
        }),
      ]),
      expect: { fires: true, message: /matchConditions\[0\]/ },
    },
    {
      name: 'a parameterised policy',
      artifacts: k8s([
        vap({ paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'true' }] }),
      ]),
      expect: { fires: true, message: /paramKind/ },
    },
  ],
});
