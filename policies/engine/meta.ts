/**
 * Findings the engine itself raises (about its input and about exceptions), described like rules
 * so that reports and SARIF can name them. They have no artifact examples: their tests are in
 * test/policies/exceptions.test.ts and test/policies/check-command.test.ts.
 */
import type { Pack, Severity } from './types';

export interface MetaRule {
  readonly id: string;
  readonly title: string;
  readonly pack: Pack;
  readonly severity: Severity;
  readonly controls: readonly string[];
  readonly rationale: string;
  readonly remediation: string;
}

export const EXCEPTION_EXPIRED: MetaRule = {
  id: 'GEN-EXC-001',
  title: 'An exception has expired',
  pack: 'exceptions',
  severity: 'error',
  controls: ['CA-7', 'PM-4'],
  rationale:
    'An exception is a time-bound risk acceptance; once expired it no longer suppresses its finding, and must be renewed through review or removed.',
  remediation: 'Fix the finding and delete the exception, or renew it with a new expiry after review.',
};

export const EXCEPTION_UNUSED: MetaRule = {
  id: 'GEN-EXC-002',
  title: 'An exception matches no finding',
  pack: 'exceptions',
  severity: 'warning',
  controls: ['CA-7', 'CM-3'],
  rationale:
    'An exception that matches nothing is stale (the finding was fixed, or the resource renamed) and would silently suppress a future finding on the same key.',
  remediation: 'Delete the exception, or correct its rule id or resource key.',
};

export const INPUT_MISSING: MetaRule = {
  id: 'GEN-INPUT-001',
  title: 'Part of the artifacts is missing',
  pack: 'input',
  severity: 'error',
  controls: ['CM-2', 'CA-7'],
  rationale:
    'A folder without aws/ or k8s/ cannot be judged on that target: the rules of that target (and the cross-target rules) did not run, so deleting a folder would otherwise pass the check. A target is absent on purpose only when the check is told so (--targets).',
  remediation:
    'Check the folder `genesis synth` wrote, or synthesize both targets; when one target is intentionally not produced, run `genesis check --targets aws` (or k8s).',
};

export const INPUT_UNLISTED: MetaRule = {
  id: 'GEN-INPUT-002',
  title: 'A template is not listed in the cloud assembly manifest',
  pack: 'input',
  severity: 'error',
  controls: ['CM-2', 'CM-3', 'CA-7'],
  rationale:
    'The rules judge the stacks that manifest.json lists, as `cdk deploy` does. A template beside them that the manifest does not list was either taken out of the manifest (and so out of the check) or put there by hand; either way the folder is not what synthesis wrote.',
  remediation:
    'Synthesize again, or restore the stack artifact in manifest.json; delete templates that should not be there.',
};

export const RULE_FAILED: MetaRule = {
  id: 'GEN-ENGINE-001',
  title: 'A rule could not be evaluated',
  pack: 'input',
  severity: 'error',
  controls: ['CA-7', 'SI-11'],
  rationale:
    'A rule that stops on an unexpected artifact shape has judged nothing; the check must not pass what it did not see, nor lose the verdicts of the other rules.',
  remediation:
    'Look at the artifact the message names (it may have been edited into a shape CloudFormation or Kubernetes would reject), and report the rule to the policy owners.',
};

export const META_RULES: readonly MetaRule[] = [
  EXCEPTION_EXPIRED,
  EXCEPTION_UNUSED,
  INPUT_MISSING,
  INPUT_UNLISTED,
  RULE_FAILED,
];
