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

test('synth with AWS workers starts them before it loads the policy engine, the Kubernetes target or the CDK', () => {
  // the first worker's spawn records what this process has loaded, then fails the synthesis
  const probes = [
    '/node_modules/aws-cdk-lib/core/',
    '/node_modules/cdk8s/',
    '/node_modules/cdk8s-plus-28/',
    '/node_modules/ajv/',
    '/policies/engine/',
    '/policies/rules/',
    '/policies/analysis/',
    '/stacks/k8s/',
    '/stacks/aws/app.ts',
  ];
  const script = `const cp = require('node:child_process');
    let seen;
    cp.spawn = () => {
      const files = Object.keys(require.cache);
      seen = ${JSON.stringify(probes)}.filter((p) => files.some((f) => f.includes(p)));
      throw new Error('stopped at the first worker');
    };
    const out = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'genesis-early-'));
    require('./cli/main.ts')
      .main(['synth', '--out', out + '/dist'], { out() {}, err() {} })
      .then(() => console.log(JSON.stringify({ seen })), (e) => console.log(JSON.stringify({ error: e.message, seen })));`;
  const r = spawnSync(process.execPath, ['-r', './cli/register.cjs', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, GENESIS_AWS_WORKERS: '2' },
  });
  const { error, seen } = JSON.parse(r.stdout) as { error?: string; seen?: string[] };
  // a worker was started (and the synthesis then failed) with none of them loaded
  expect(error).toBe('stopped at the first worker');
  expect(seen).toEqual([]);
});
