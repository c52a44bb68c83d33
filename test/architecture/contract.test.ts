/**
 * Every tag, label and annotation key that targets write and policies read is spelled once, in
 * infra/contract. Anywhere else a literal that looks like one of those keys is a copy that can drift.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import * as contract from '../../infra/contract';
import { projectSources, ROOT } from './layers';

/** Shapes of the keys the contract owns. */
const KEY_SHAPES = [
  /^genesis:[a-z]/,
  /^genesis\.platform\/(?!v\d)/,
  /^kubernetes\.io\/metadata\.name$/,
  /^pod-security\.kubernetes\.io\//,
  /^kueue\.x-k8s\.io\/(queue-name|priority-class)$/,
  /^nvidia\.com\/(device-plugin|mig)\.config$/,
  /^eks\.amazonaws\.com\/role-arn$/,
  /^app\.kubernetes\.io\/managed-by$/,
];

/** String literals and template heads of one source text (comments are not tokens). */
export function stringLiterals(text: string): { value: string; line: number }[] {
  const out: { value: string; line: number }[] = [];
  const file = ts.createSourceFile('x.ts', text, ts.ScriptTarget.ES2022, true);
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node))
      out.push({ value: node.text, line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

const copies = (file: string, text: string): string[] =>
  stringLiterals(text)
    .filter((l) => KEY_SHAPES.some((k) => k.test(l.value)))
    .map((l) => `${file}:${l.line}: ${l.value}`);

describe('the artifact contract', () => {
  it('spells every key it owns in one of its own shapes', () => {
    const values = [
      ...Object.values(contract.LABEL),
      ...Object.values(contract.ANNOTATION),
      ...Object.values(contract.WELL_KNOWN_LABEL),
      ...Object.values(contract.TAG),
      contract.GRANT_TAG_PREFIX,
      contract.DATA_KEY_TAG_PREFIX,
      contract.podSecurityLabel('enforce'),
    ];
    for (const v of values) expect([v, KEY_SHAPES.some((k) => k.test(v))]).toEqual([v, true]);
  });

  it('is the only place those keys are spelled', () => {
    const found = projectSources()
      .filter((f) => f.endsWith('.ts') && !f.startsWith('infra/contract/'))
      .flatMap((f) => copies(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it('finds a planted copy (in a string or a template), not one in a comment', () => {
    expect(copies('x.ts', "const k = 'genesis:tenant';")).toEqual(['x.ts:1: genesis:tenant']);
    expect(copies('x.ts', 'const k = `genesis.platform/${name}`;')).toEqual(['x.ts:1: genesis.platform/']);
    expect(copies('x.ts', '// the genesis:tenant tag\nconst x = 1;')).toEqual([]);
  });
});
