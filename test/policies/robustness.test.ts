/**
 * Hand-edited artifacts can take any shape. Whatever a node of a template or manifest is replaced
 * with, no rule may stop (which would surface as GEN-ENGINE-001): it passes, fails or is undecided.
 */
import fc from 'fast-check';
import { exampleArtifacts } from '../../policies/engine/examples';
import { asK8sObject, loadArtifacts } from '../../policies/engine/load';
import { evaluate } from '../../policies/engine/run';
import { namedExamples, type ExampleArtifacts } from '../../policies/engine/types';
import { RULES } from '../../policies/registry';
import { defaultOutput } from './support/default-output';

const EXAMPLES: ExampleArtifacts[] = RULES.flatMap((r) => namedExamples(r).map((e) => e.artifacts));

type Path = Array<string | number>;
function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}
function replaced(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  copy[path[0]] = replaced(copy[path[0]], path.slice(1), value);
  return copy;
}

const odd = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom<unknown>(
    null,
    [],
    {},
    '',
    '*',
    0,
    -1,
    true,
    { Ref: 'Nowhere' },
    { Ref: 'AWS::NoValue' },
    { 'Fn::GetAtt': ['Nowhere', 'Arn'] },
    { 'Fn::If': ['NoCondition', 'a', 'b'] },
    { 'Fn::Join': ['', [{ Ref: 'AWS::Region' }, { 'Fn::GetAZs': '' }]] },
    { 'Fn::Sub': '${Nowhere.Arn}' },
    { 'Fn::ImportValue': { 'Fn::Sub': '${AWS::StackName}-x' } },
    { 'Fn::Select': [9, []] },
    [{ Effect: 'Allow' }],
    { Statement: 'not a list' },
    { matchLabels: null },
  ),
);

describe('robustness', () => {
  it('no rule stops on a mutated example', () => {
    fc.assert(
      fc.property(fc.nat(EXAMPLES.length - 1), fc.nat(), odd, (i, pick, value) => {
        const example = EXAMPLES[i];
        const all = paths(example).filter((p) => p.length >= 3);
        if (all.length === 0) return;
        const mutated = replaced(example, all[pick % all.length], value) as ExampleArtifacts;
        let artifacts;
        try {
          artifacts = exampleArtifacts(mutated);
        } catch {
          return; // not even an artifact set (e.g. a chart file that is not a list): the loader's job
        }
        const failures = evaluate(artifacts, RULES).filter((f) => f.ruleId === 'GEN-ENGINE-001');
        expect(failures.map((f) => f.message)).toEqual([]);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('robustness on the default output', () => {
  it('no rule stops when a node of a real template or manifest is replaced', async () => {
    const artifacts = loadArtifacts(await defaultOutput());
    const stacks = artifacts.aws!.stacks;
    const docs = artifacts.k8s!.documents;
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.nat(), odd, (onAws, which, pick, value) => {
        let mutated;
        if (onAws) {
          const s = stacks[which % stacks.length];
          const all = paths(s.template.Resources).filter((p) => p.length >= 2);
          const template = {
            ...s.template,
            Resources: replaced(s.template.Resources, all[pick % all.length], value) as never,
          };
          mutated = { ...artifacts, aws: { stacks: stacks.map((x) => (x === s ? { ...s, template } : x)) } };
        } else {
          const d = docs[which % docs.length];
          const all = paths(d.object).filter((p) => p.length >= 2);
          let object;
          try {
            object = asK8sObject(replaced(d.object, all[pick % all.length], value), d.file, d.line);
          } catch {
            return; // the loader refuses it (exit 2), no rule sees it
          }
          mutated = { ...artifacts, k8s: { documents: docs.map((x) => (x === d ? { ...d, object } : x)) } };
        }
        expect(
          evaluate(mutated, RULES)
            .filter((f) => f.ruleId === 'GEN-ENGINE-001')
            .map((f) => f.message),
        ).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
