/**
 * Every rule of the policy engine, discovered per folder as cdk-nag does with its packs: each
 * folder of policies/rules has an index.ts that lists its rule files (one rule per file). A rule's
 * target follows from its folder (aws, k8s; cross reads both) and its file from its name in the
 * index. test/policies/rules.test.ts checks that every file of a folder is listed exactly once and
 * that rule ids are unique; order does not matter (findings are sorted).
 */
import type { Rule, RuleDefinition, RuleTarget } from './engine/types';
import { AWS_RULE_FILES } from './rules/aws';
import { CROSS_RULE_FILES } from './rules/cross';
import { K8S_RULE_FILES } from './rules/k8s';

/** Each rule folder, its target, and the rules its index lists. */
export const RULE_FOLDERS: readonly {
  readonly folder: 'aws' | 'k8s' | 'cross';
  readonly target: RuleTarget;
  readonly rules: Readonly<Record<string, RuleDefinition>>;
}[] = [
  { folder: 'aws', target: 'aws', rules: AWS_RULE_FILES },
  { folder: 'k8s', target: 'k8s', rules: K8S_RULE_FILES },
  { folder: 'cross', target: 'both', rules: CROSS_RULE_FILES },
];

export const RULES: readonly Rule[] = RULE_FOLDERS.flatMap(({ folder, target, rules }) =>
  Object.entries(rules).map(([name, rule]): Rule => ({
    ...rule,
    target,
    file: `policies/rules/${folder}/${name}.ts`,
  })),
);

/** The rules that judge a cloud assembly alone (run inside CDK synthesis too). */
export const AWS_RULES: readonly Rule[] = RULES.filter((r) => r.target === 'aws');
