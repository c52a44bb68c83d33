import { defineRule } from '../../engine/rule-kit';
import { cfnResources, undecided } from '../../engine/cfn/template';
import { isUnknown } from '../../engine/cfn/resolve';
import { cfn } from '../../examples/builders';

/** Audit records are kept at least a year online (M-21-31 asks 12 months active storage). */
const MIN_DAYS = 365;

export default defineRule({
  id: 'GEN-AWS-DP-014',
  title: 'Log groups keep records for at least a year',
  pack: 'aws-data-protection',
  severity: 'warning',
  controls: ['AU-11'],
  rationale: `Incident response needs a year of flow and control-plane logs online (OMB M-21-31); a log group without RetentionInDays keeps logs forever at growing cost, one below ${MIN_DAYS} days loses them too early.`,
  remediation: `Set RetentionInDays to at least ${MIN_DAYS} on every AWS::Logs::LogGroup.`,
  *check(ctx) {
    for (const g of cfnResources(ctx, 'AWS::Logs::LogGroup')) {
      const days = g.props.RetentionInDays;
      if (isUnknown(days)) yield undecided(g.ref, 'the retention', days);
      else if (days === undefined)
        yield { resource: g.ref, status: 'fail', message: 'log group has no retention (kept forever)' };
      else if (Number(days) < MIN_DAYS)
        yield {
          resource: g.ref,
          status: 'fail',
          message: `log group keeps records ${String(days)} days, less than ${MIN_DAYS}`,
        };
    }
  },
  examples: [
    {
      name: 'a log group kept 400 days',
      artifacts: cfn({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 400 } } }),
      expect: { fires: false },
    },
    {
      name: 'a log group with no retention (kept forever)',
      artifacts: cfn({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} } }),
      expect: { fires: true, message: /log group has no retention \(kept forever\)/ },
    },
    {
      name: 'a log group kept 30 days',
      artifacts: cfn({ Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } } }),
      expect: { fires: true, message: /log group keeps records 30 days, less than 365/ },
    },
  ],
});
