/**
 * Sharded synthesis and check (test/bench/shard.sh: `genesis synth --shard K/N`, then
 * `genesis merge`): every tenant's artifacts land in exactly one shard, byte for byte as in the
 * whole synthesis, and the merged report has the findings a check of the whole output has.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { scaledSpec } from '../bench/scale';
import { genesis } from '../support/cli';
import { tempDir } from '../support/tmp';

const ROOT = path.resolve(__dirname, '..', '..');
const NOW = '2026-11-26';
const work = tempDir('genesis-shard-');
const spec = path.join(work, 'platform.yaml');
const full = path.join(work, 'full');
const sharded = path.join(work, 'sharded');
const SHARDS = 2;

const filesBelow = (dir: string): string[] =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { recursive: true, withFileTypes: false })
        .map(String)
        .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    : [];
const tenantArtifacts = (dir: string): string[] => [
  ...filesBelow(path.join(dir, 'aws'))
    .filter((f) => /^Tenant-.*\.template\.json$/.test(f))
    .map((f) => `aws/${f}`),
  ...filesBelow(path.join(dir, 'k8s'))
    .filter((f) => /tenant-[^/]+\.yaml$/.test(f))
    .map((f) => `k8s/${f}`),
];
const findingsOf = (dir: string): Array<{ fingerprint: string; severity: string; message: string }> =>
  JSON.parse(fs.readFileSync(path.join(dir, 'report', 'findings.json'), 'utf8')).findings.map(
    (f: Record<string, string>) => ({ fingerprint: f.fingerprint, severity: f.severity, message: f.message }),
  );

/** Edits one file the same way wherever it is. */
function tamper(dirs: string[], file: string, from: string, to: string): number {
  let edited = 0;
  for (const d of dirs) {
    const p = path.join(d, file);
    if (!fs.existsSync(p)) continue;
    const text = fs.readFileSync(p, 'utf8');
    expect(text).toContain(from);
    fs.writeFileSync(p, text.replace(from, to));
    edited++;
  }
  return edited;
}

beforeAll(async () => {
  fs.writeFileSync(spec, stringify(scaledSpec(5)));
  expect((await genesis('synth', '--spec', spec, '--out', full, '--now', NOW)).code).toBe(0);
  const r = spawnSync(
    'bash',
    [path.join(ROOT, 'test', 'bench', 'shard.sh'), String(SHARDS), sharded, '--spec', spec, '--now', NOW],
    { cwd: ROOT, encoding: 'utf8', env: process.env },
  );
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 600_000);

test('each tenant stack and tenant file is in exactly one shard, with the bytes of the whole synthesis', () => {
  const whole = tenantArtifacts(full).sort();
  expect(whole.length).toBeGreaterThan(10);
  const seen: string[] = [];
  for (let k = 1; k <= SHARDS; k++) {
    const shard = path.join(sharded, `shard-${k}`);
    const mine = tenantArtifacts(shard);
    expect(mine.length).toBeGreaterThan(0);
    for (const f of mine)
      expect({ f, bytes: fs.readFileSync(path.join(shard, f), 'utf8') }).toEqual({
        f,
        bytes: fs.readFileSync(path.join(full, f), 'utf8'),
      });
    seen.push(...mine);
  }
  expect(seen.sort()).toEqual(whole);
});

test('the merged report of tampered shards has the findings of the tampered whole output', async () => {
  const shards = Array.from({ length: SHARDS }, (_, i) => path.join(sharded, `shard-${i + 1}`));
  // a tenant file (in one shard) and the site stack (in every shard), edited as an insider would
  const tenantFile = 'k8s/govcloud-west/gw-gpu/tenant-bench-t00003.yaml';
  expect(
    tamper(
      [full, ...shards],
      tenantFile,
      'pod-security.kubernetes.io/enforce: restricted',
      'pod-security.kubernetes.io/enforce: privileged',
    ),
  ).toBe(2);
  expect(
    tamper(
      [full, ...shards],
      'aws/Site-govcloud-west.template.json',
      '"EnableKeyRotation": true',
      '"EnableKeyRotation": false',
    ),
  ).toBe(SHARDS + 1);
  expect((await genesis('check', full, '--now', NOW)).code).toBe(1);
  for (const s of shards) await genesis('check', s, '--now', NOW);
  const merged = await genesis('merge', '--out', path.join(sharded, 'merged'), ...shards);
  expect(merged.code).toBe(1);
  const expected = findingsOf(full);
  expect(expected.some((f) => f.fingerprint.includes('tenant-bench-t00003.yaml'))).toBe(true);
  expect(expected.some((f) => f.fingerprint.includes('Site-govcloud-west'))).toBe(true);
  expect(findingsOf(path.join(sharded, 'merged'))).toEqual(expected);
});

test('merge refuses a folder without a report', async () => {
  const r = await genesis('merge', '--out', path.join(work, 'none'), work);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/findings\.json is missing/);
});
