/**
 * Commands load on first use (cli/main.ts, cli/commands/tenant.ts): `--version`, `validate` and
 * `tenant init|validate` do not load the AWS and Kubernetes targets or the policy engine; a
 * command that needs them gets them.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

const PROBES = ['/node_modules/aws-cdk-lib/', '/node_modules/cdk8s/', '/policies/', '/stacks/'];

/** Which heavy packages and project layers (`probes`) a `genesis` run in a fresh process loaded. */
function loadedBy(args: string[], probes = PROBES): string[] {
  const script = `require('./cli/main.ts').main(${JSON.stringify(args)}, { out() {}, err() {} }).then(() => {
    const files = Object.keys(require.cache);
    const has = (p) => files.some((f) => f.includes(p));
    console.log(JSON.stringify(${JSON.stringify(probes)}.filter(has)));
  });`;
  const r = spawnSync(process.execPath, ['-r', './cli/register.cjs', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as string[];
}

test('--version, validate and the tenant command (but for its plan) load neither target nor the policy engine', () => {
  expect(loadedBy(['--version'])).toEqual([]);
  expect(loadedBy(['validate'])).toEqual([]);
  expect(loadedBy(['tenant', '--help'])).toEqual([]);
});

test('a command that needs the policy engine loads it on first use', () => {
  expect(loadedBy(['check', '--help'])).toContain('/policies/');
});

test('tenant plan loads the targets and the analyses, not cdk-nag nor the policy rules', () => {
  const file = path.join(ROOT, 'test', 'fixtures', 'partners', 'good-orbit-labs.tenant.yaml');
  const probes = [
    '/node_modules/aws-cdk-lib/',
    '/node_modules/cdk-nag/',
    '/policies/analysis/',
    '/policies/rules/',
  ];
  expect(loadedBy(['tenant', 'plan', file, '--now', '2026-12-01'], probes)).toEqual([
    '/node_modules/aws-cdk-lib/',
    '/policies/analysis/',
  ]);
});
