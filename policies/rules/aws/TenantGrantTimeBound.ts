import { defineRule } from '../../engine/rule-kit';
import { undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import {
  conditionEntries,
  isDataAction,
  policiesOfRole,
  statementsOf,
  strings,
  unknownIn,
} from '../../engine/iam';
import { tenantRoles } from '../../engine/tenants';
import { cfn, managedPolicy, readGrant, tenantRole } from '../../examples/builders';

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export default defineRule({
  id: 'GEN-AWS-IAM-004',
  title: 'Tenant data grants end on their expiry date',
  pack: 'aws-identity',
  severity: 'error',
  controls: ['AC-2(3)', 'AC-6', 'PS-7'],
  rationale:
    'Data-use agreements expire; a grant must stop working at its end date whether or not anyone redeploys. An aws:CurrentTime DateLessThan condition makes IAM itself refuse the request after that instant.',
  remediation:
    'Add Condition { DateLessThan: { aws:CurrentTime: <first instant after the grant, ISO 8601> } } to every Allow statement with data actions in a tenant role policy.',
  *check(ctx) {
    for (const { role, tenant } of tenantRoles(ctx)) {
      for (const p of policiesOfRole(ctx, role)) {
        const ss = statementsOf(p.document);
        if (isUnknown(ss)) {
          yield undecided(p.item.ref, `policy ${p.name}`, ss);
          continue;
        }
        for (const s of ss) {
          const u = unknownIn(s, ['Effect', 'Action', 'Condition']);
          if (u) {
            yield undecided(p.item.ref, `a statement of policy ${p.name}`, u);
            continue;
          }
          if (s.Effect !== 'Allow' || !strings(s.Action).some(isDataAction)) continue;
          const until = conditionEntries(s).find(
            (c) => c.operator === 'DateLessThan' && c.key === 'aws:currenttime',
          );
          if (until && isUnknown(until.value))
            yield undecided(p.item.ref, `the end of a grant in policy ${p.name}`, until.value);
          else if (!until || typeof until.value !== 'string' || !ISO.test(until.value))
            yield {
              resource: p.item.ref,
              status: 'fail',
              message: `policy ${p.name} of tenant ${tenant} grants ${strings(s.Action).join(', ')} without an aws:CurrentTime DateLessThan end${s.Sid ? ` (statement ${String(s.Sid)})` : ''}`,
            };
        }
      }
    }
  },
  examples: [
    {
      name: 'a read grant that ends on its expiry date',
      artifacts: cfn({ Role: tenantRole('acme'), Grants: managedPolicy('Role', [readGrant('noaa')]) }),
      expect: { fires: false },
    },
    {
      name: 'a read grant without a condition',
      artifacts: cfn({
        Role: tenantRole('acme'),
        Grants: managedPolicy('Role', [{ ...readGrant('noaa'), Condition: undefined }]),
      }),
      expect: {
        fires: true,
        message: /policy Grants of tenant acme grants s3:GetObject without an aws:CurrentTime DateLessThan/,
      },
    },
    {
      name: 'a read grant whose end date is not a date',
      artifacts: cfn({
        Role: tenantRole('acme'),
        Grants: managedPolicy('Role', [
          { ...readGrant('noaa'), Condition: { DateLessThan: { 'aws:CurrentTime': 'never' } } },
        ]),
      }),
      expect: {
        fires: true,
        message: /policy Grants of tenant acme grants s3:GetObject without an aws:CurrentTime DateLessThan/,
      },
    },
  ],
});
