/**
 * Data flows one way: spec -> model -> constructs -> stacks -> artifacts -> policies, with the CLI
 * on top. The table in ./layers.ts is the rule; this test holds the import graph to it.
 */
import {
  ALLOWED_EDGES,
  importsOf,
  LAYERS,
  layerOf,
  projectImports,
  projectSources,
  violation,
} from './layers';

describe('layers', () => {
  it('every source file belongs to exactly one layer', () => {
    const files = projectSources();
    expect(files.length).toBeGreaterThan(150);
    for (const f of files)
      expect([f, LAYERS.filter((l) => l.dirs.some((d) => f.startsWith(`${d}/`))).length]).toEqual([f, 1]);
  });

  it('no import runs against the table', () => {
    expect(projectImports().map(violation).filter(Boolean)).toEqual([]);
  });

  it('each allowed cross-layer edge is still used (a stale allowance is removed)', () => {
    const imports = projectImports();
    for (const e of ALLOWED_EDGES)
      expect([e.from, imports.some((i) => i.file === e.from && i.to.startsWith(e.to))]).toEqual([
        e.from,
        true,
      ]);
  });

  it('the contract is a leaf', () => {
    const contract = projectImports().filter((i) => layerOf(i.file)?.name === 'contract');
    expect(
      contract.filter((i) => !i.to.startsWith('pkg:node:') && layerOf(i.to)?.name !== 'contract'),
    ).toEqual([]);
  });
});

describe('the scanner and the table catch planted violations', () => {
  const planted: [string, string, RegExp][] = [
    [
      'infra/model/x.ts',
      "import { DatasetBucket } from '../../constructs/aws/dataset-bucket';",
      /model.*constructs-aws/,
    ],
    ['infra/model/x.ts', "export { a } from '../../policies';", /model.*policies/],
    ['infra/model/x.ts', "import '../../stacks/aws/app';", /model.*stacks-aws/],
    ['infra/model/x.ts', "const m = require('../../cli/main');", /model.*cli/],
    ['infra/model/x.ts', "const m = import('../../stacks/k8s/synth');", /model.*stacks-k8s/],
    ['infra/model/x.ts', "import type { App } from 'aws-cdk-lib';", /package aws-cdk-lib/],
    ['stacks/aws/x.ts', "import { synthK8s } from '../k8s/synth';", /stacks-aws.*stacks-k8s/],
    ['stacks/pulumi/x.ts', "import { synthAws } from '../aws/app';", /stacks-pulumi.*stacks-aws/],
    [
      'stacks/k8s/x.ts',
      "import { DatasetBucket } from '../../constructs/aws/dataset-bucket';",
      /stacks-k8s.*constructs-aws/,
    ],
    [
      'constructs/k8s/x.ts',
      "import { synthK8s } from '../../stacks/k8s/synth';",
      /constructs-k8s.*stacks-k8s/,
    ],
    ['policies/engine/x.ts', "import { loadPlatform } from '../../infra/model';", /policies.*model/],
    [
      'policies/rules/aws/x.ts',
      "import { names } from '../../../constructs/aws/names';",
      /policies.*constructs-aws/,
    ],
    ['infra/contract/x.ts', "import { Id } from '../model';", /contract.*model/],
    ['stacks/aws/other.ts', "import { runChecks } from '../../policies';", /stacks-aws.*policies/],
  ];
  it.each(planted)('%s: %s', (file, text, expected) => {
    const found = importsOf(file, text).map(violation).filter(Boolean);
    expect(found).toEqual([expect.stringMatching(expected)]);
  });

  it('lets the allowed forms through', () => {
    expect(importsOf('cli/x.ts', "import { a } from '../stacks/aws/app';").map(violation)).toEqual([
      undefined,
    ]);
    expect(importsOf('stacks/aws/main.ts', "import { a } from '../../policies';").map(violation)).toEqual([
      undefined,
    ]);
    expect(importsOf('policies/x.ts', "import { TAG } from '../infra/contract';").map(violation)).toEqual([
      undefined,
    ]);
  });
});
