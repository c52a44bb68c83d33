/**
 * `genesis check` over the default platform's output: zero error findings, a complete report
 * folder, SARIF that validates against the 2.1.0 schema, byte-identical reruns.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HELP, run } from '../../cli/commands/check';
import { UsageError } from '../../cli/usage';
import { RULES, runChecks } from '../../policies';
import { copyOfDefault, NOW } from './support/default-output';
import { sarifValidator } from '../support/sarif';

async function check(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

let dir: string;
let first: { code: number; out: string; err: string };

beforeAll(async () => {
  dir = await copyOfDefault();
  first = await check([dir, '--now', NOW]);
});

describe('genesis check on the default platform', () => {
  it('exits 0 with zero error findings', () => {
    const findings = JSON.parse(fs.readFileSync(path.join(dir, 'report/findings.json'), 'utf8'))
      .findings as Array<{ severity: string; ruleId: string; location: { resourceKey: string } }>;
    expect(
      findings.filter((f) => f.severity === 'error').map((f) => `${f.ruleId} ${f.location.resourceKey}`),
    ).toEqual([]);
    expect(first.code).toBe(0);
  });

  it('prints a summary table with every pack', () => {
    for (const pack of [
      'aws-data-protection',
      'aws-network',
      'aws-identity',
      'aws-service-limits',
      'k8s-tenancy',
      'k8s-capacity',
      'cross-target',
    ])
      expect(first.out).toContain(pack);
    expect(first.out).toMatch(new RegExp(`^total\\s+${RULES.length}\\s+0\\s`, 'm'));
  });

  it('writes findings.json, findings.sarif, access.json, reachability.json and report.md', () => {
    expect(fs.readdirSync(path.join(dir, 'report')).sort()).toEqual([
      '.genesis-output',
      'access.json',
      'findings.json',
      'findings.sarif',
      'reachability.json',
      'report.md',
    ]);
    const md = fs.readFileSync(path.join(dir, 'report/report.md'), 'utf8');
    expect(md).toMatch(/^# Policy check of /);
    expect(md).toContain('## By pack');
    expect(md).toContain('## By NIST SP 800-53 rev5 control');
    expect(md).toContain('## Access');
  });

  it('writes SARIF that validates against the SARIF 2.1.0 schema', () => {
    const validate = sarifValidator();
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'report/findings.sarif'), 'utf8'));
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    expect(sarif.runs[0].tool.driver.rules.length).toBeGreaterThanOrEqual(RULES.length);
  });

  it('gives byte-identical reports on a second run', async () => {
    const before = ['findings.json', 'findings.sarif', 'report.md'].map((f) =>
      fs.readFileSync(path.join(dir, 'report', f)),
    );
    const again = await check([dir, '--now', NOW]);
    expect(again.out).toBe(first.out);
    ['findings.json', 'findings.sarif', 'report.md'].forEach((f, i) =>
      expect(fs.readFileSync(path.join(dir, 'report', f)).equals(before[i])).toBe(true),
    );
  });

  it('reads platform.json as the declared intent: unreadable intent is invalid input naming the file', async () => {
    const other = await copyOfDefault();
    fs.writeFileSync(path.join(other, 'platform.json'), 'not json at all');
    const r = await check([other, '--now', NOW]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/platform\.json: not valid JSON/);
  });
});

describe('SARIF and reports with findings', () => {
  let tampered: string;
  beforeAll(async () => {
    tampered = await copyOfDefault();
    const file = path.join(tampered, 'aws', 'Site-govcloud-west.template.json');
    const t = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const r of Object.values(t.Resources) as Array<Record<string, any>>)
      if (r.Type === 'AWS::S3::Bucket') delete r.Properties.BucketEncryption;
    fs.writeFileSync(file, JSON.stringify(t, null, 1));
    expect((await check([tampered, '--now', NOW])).code).toBe(1);
  });

  it('validates, with locations, logical locations and readable fingerprints', () => {
    const sarif = JSON.parse(fs.readFileSync(path.join(tampered, 'report/findings.sarif'), 'utf8'));
    const validate = sarifValidator();
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    const results = sarif.runs[0].results as Array<Record<string, any>>;
    const dp1 = results.filter((r) => r.ruleId === 'GEN-AWS-DP-001');
    expect(dp1.length).toBeGreaterThan(1);
    for (const r of dp1) {
      const loc = r.locations[0];
      expect(loc.physicalLocation.artifactLocation).toEqual({
        uri: 'aws/Site-govcloud-west.template.json',
        uriBaseId: 'ARTIFACTS',
      });
      expect(loc.physicalLocation.region.startLine).toBeGreaterThan(1);
      expect(loc.logicalLocations[0].fullyQualifiedName).toMatch(/^aws:Site-govcloud-west\//);
      // The identity is the construct path, not the logical id with CDK's hash suffix.
      expect(loc.logicalLocations[0].fullyQualifiedName).not.toContain(loc.logicalLocations[0].name);
      expect(loc.logicalLocations[0].fullyQualifiedName).not.toMatch(/[0-9A-F]{8}$/);
      expect(r.partialFingerprints['genesisFinding/v1']).toBe(
        `GEN-AWS-DP-001|aws/Site-govcloud-west.template.json|${loc.logicalLocations[0].fullyQualifiedName}`,
      );
      expect(sarif.runs[0].tool.driver.rules[r.ruleIndex].id).toBe('GEN-AWS-DP-001');
    }
    const fingerprints = results.map((r) => r.partialFingerprints['genesisFinding/v1']);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
  });

  it('points the region line at the resource declaration', () => {
    const sarif = JSON.parse(fs.readFileSync(path.join(tampered, 'report/findings.sarif'), 'utf8'));
    const text = fs
      .readFileSync(path.join(tampered, 'aws/Site-govcloud-west.template.json'), 'utf8')
      .split('\n');
    for (const r of sarif.runs[0].results as Array<Record<string, any>>) {
      const loc = r.locations[0];
      if (!loc.physicalLocation.artifactLocation.uri.startsWith('aws/Site')) continue;
      expect(text[loc.physicalLocation.region.startLine - 1]).toContain(`"${loc.logicalLocations[0].name}"`);
    }
  });

  it('lists each finding in report.md with its remediation', () => {
    const md = fs.readFileSync(path.join(tampered, 'report/report.md'), 'utf8');
    expect(md).toMatch(/### ERROR GEN-AWS-DP-001: S3 buckets are encrypted with a customer-managed KMS key/);
    expect(md).toContain('- Remediation: Set BucketEncryption');
    expect(md).toMatch(/\| SC-28 \| [1-9]\d* \|/);
  });

  it('keeps findings sorted and stable', () => {
    const a = runChecks(tampered, { now: NOW }).findings.map((f) => f.fingerprint);
    const b = runChecks(tampered, { now: NOW }).findings.map((f) => f.fingerprint);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(0);
  });
});

describe('usage', () => {
  it('rejects a malformed --now and extra arguments', async () => {
    await expect(check(['a', 'b'])).rejects.toThrow(UsageError);
    await expect(check(['a', '--now', '26/11/2026'])).rejects.toThrow(UsageError);
  });

  it('documents its options and exit codes', () => {
    expect(HELP).toMatch(/^genesis check \[DIR\]/);
    expect(HELP).toContain('--exceptions FILE');
    expect(HELP).toContain('--now YYYY-MM-DD');
    expect(HELP).toMatch(/0 .*1 .*2 /s);
  });

  it('reports a folder with neither aws/ nor k8s/ as unreadable', async () => {
    const empty = fs.mkdtempSync(path.join(path.dirname(dir), 'empty-'));
    const r = await check([empty]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nothing to check/);
  });

  it.each(['k8s', 'aws'])('fails when %s/ is missing and still checks the other target', async (part) => {
    const half = await copyOfDefault();
    fs.rmSync(path.join(half, part), { recursive: true });
    const r = await check([half, '--now', NOW]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('GEN-INPUT-001');
    const findings = JSON.parse(fs.readFileSync(path.join(half, 'report/findings.json'), 'utf8'))
      .findings as Array<{ ruleId: string; severity: string; location: { resourceKey: string } }>;
    expect(findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'GEN-INPUT-001',
        severity: 'error',
        location: expect.objectContaining({ resourceKey: `input:${part}` }),
      }),
    );
  });

  it('accepts a target left out on purpose with --targets', async () => {
    const half = await copyOfDefault();
    fs.rmSync(path.join(half, 'k8s'), { recursive: true });
    const r = await check([half, '--now', NOW, '--targets', 'aws']);
    expect(r.code).toBe(0);
    const findings = JSON.parse(fs.readFileSync(path.join(half, 'report/findings.json'), 'utf8'))
      .findings as Array<{ ruleId: string }>;
    expect(findings.map((f) => f.ruleId)).not.toContain('GEN-INPUT-001');
  });

  it('reports a folder without the expected target as unreadable', async () => {
    const half = await copyOfDefault();
    fs.rmSync(path.join(half, 'k8s'), { recursive: true });
    const r = await check([half, '--now', NOW, '--targets', 'k8s']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds no k8s\//);
  });

  it('rejects an unknown target', async () => {
    await expect(check([dir, '--targets', 'gcp'])).rejects.toThrow(UsageError);
  });
});

describe('the genesis command', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [path.join(__dirname, '../../cli/genesis.cjs'), ...args], {
      encoding: 'utf8',
    });

  it('exits 1 on an error finding and names the rule, resource and file', async () => {
    const dir = await copyOfDefault();
    const file = path.join(dir, 'aws', 'Tenant-nih-nci.template.json');
    const t = JSON.parse(fs.readFileSync(file, 'utf8'));
    const role = Object.keys(t.Resources).find(
      (k) => t.Resources[k].Properties?.RoleName === 'genesis-nih-nci-data',
    )!;
    t.Resources[role].Properties.Policies = [
      {
        PolicyName: 'oops',
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] },
      },
    ];
    fs.writeFileSync(file, JSON.stringify(t));
    const r = cli(['check', dir, '--now', NOW]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(
      `GEN-AWS-IAM-001 aws:Tenant-nih-nci/${role} (aws/Tenant-nih-nci.template.json`,
    );
  });

  it('exits 2 on a missing folder, naming it', () => {
    const r = cli(['check', '/nonexistent/genesis-dist']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('/nonexistent/genesis-dist');
  });
});
