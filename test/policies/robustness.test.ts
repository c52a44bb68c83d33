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
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyOfDefault, defaultOutput, editJson, editYaml } from './support/default-output';
import { guardPrimitives } from '../../policies/engine/primitive-guard';

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
    { toString: false },
    { valueOf: {}, toString: 1 },
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

describe('robustness to keys that shadow conversions', () => {
  // A JSON or YAML object with an own `toString` or `valueOf` made String(), Number() and template
  // literals of it throw, and a rule stop (policies/engine/primitive-guard.ts).
  const SHADOWING: unknown[] = [{ toString: false }, { valueOf: {}, toString: 1 }];

  it('no rule stops when a node of an example is replaced by such an object (every eighth node)', () => {
    const stopped: string[] = [];
    EXAMPLES.forEach((example, i) => {
      paths(example)
        .filter((p) => p.length >= 3)
        .forEach((at, n) => {
          if (n % 8 !== i % 8) return;
          let artifacts;
          try {
            artifacts = exampleArtifacts(replaced(example, at, SHADOWING[n % 2]) as ExampleArtifacts);
          } catch {
            return;
          }
          for (const f of evaluate(artifacts, RULES))
            if (f.ruleId === 'GEN-ENGINE-001') stopped.push(`example ${i} at ${at.join('.')}: ${f.message}`);
        });
    });
    expect(stopped).toEqual([]);
  });

  it('no rule stops on such objects in files edited by hand (a template and a manifest)', async () => {
    const dir = await copyOfDefault();
    const site = path.join(dir, 'aws', 'Site-govcloud-west.template.json');
    editJson(site, (t) => {
      for (const r of Object.values(t.Resources as Record<string, Record<string, any>>))
        if (r.Type === 'AWS::S3::Bucket') {
          r.Properties.ObjectLockConfiguration = {
            Rule: { DefaultRetention: { Days: { toString: false } } },
          };
          r.Properties.Tags = [{ Key: { valueOf: {}, toString: 1 }, Value: 'x' }];
        }
    });
    const manifest = fs.readdirSync(path.join(dir, 'k8s', 'govcloud-west', 'gw-gpu'))[0];
    editYaml(path.join(dir, 'k8s', 'govcloud-west', 'gw-gpu', manifest), (objects) =>
      objects.map((o) => ({ ...o, metadata: { ...o.metadata, name: { toString: false } } })),
    );
    const stopped = evaluate(loadArtifacts(dir), RULES).filter((f) => f.ruleId === 'GEN-ENGINE-001');
    expect(stopped.map((f) => f.message)).toEqual([]);
    // the same keys spelled with escapes (JSON \u, YAML \x): the text never says toString
    fs.writeFileSync(site, fs.readFileSync(site, 'utf8').replace(/"toString"/g, '"\\u0074oString"'));
    const file = path.join(dir, 'k8s', 'govcloud-west', 'gw-gpu', manifest);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\btoString:/g, '"\\x74oString":'));
    expect(fs.readFileSync(site, 'utf8') + fs.readFileSync(file, 'utf8')).not.toMatch(/toString/);
    const escaped = evaluate(loadArtifacts(dir), RULES).filter((f) => f.ruleId === 'GEN-ENGINE-001');
    expect(escaped.map((f) => f.message)).toEqual([]);
  });

  it('the objects read from files keep their data: the guard adds no key', () => {
    const text = '{"a": {"toString": false, "b": [{"valueOf": 1}]}}';
    const parsed = guardPrimitives(JSON.parse(text) as Record<string, unknown>);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(JSON.parse(text)));
    expect(Object.keys(parsed.a as object)).toEqual(['toString', 'b']);
    expect(String(parsed.a)).toBe('[object Object]');
    expect(Number((parsed.a as { b: unknown[] }).b[0])).toBeNaN();
    // a copy by spread keeps the guard
    expect(`${{ ...(parsed.a as object) }}`).toBe('[object Object]');
  });
});
