/**
 * `genesis diff` as a command: an output against itself, a hand-tampered output, the three formats
 * (SARIF validated against the 2.1.0 schema), exit codes, spec files and git revisions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  copyOfDefault,
  defaultOutput,
  editJson,
  editYaml,
  logicalId,
  NOW,
} from '../policies/support/default-output';
import { run as runDiff } from '../../cli/commands/diff';
import { genesis } from '../support/cli';
import { DEFAULT_SPEC, diffJson, lines, section } from './support';
import { sarifValidator } from '../support/sarif';

interface SarifResult {
  ruleId: string;
  baselineState: string;
  level: string;
}

/** The default output with one statement granting s3:* on * added to aurora-ai's data role. */
async function tampered(): Promise<{ dir: string; id: string }> {
  const dir = await copyOfDefault();
  const file = path.join(dir, 'aws/Tenant-aurora-ai.template.json');
  let id = '';
  editJson(file, (t) => {
    id = logicalId(t, 'AWS::IAM::ManagedPolicy', (r) =>
      JSON.stringify(r.Properties.PolicyDocument).includes('ReadNihGenomics'),
    );
    t.Resources[id].Properties.PolicyDocument.Statement.push({
      Sid: 'Everything',
      Effect: 'Allow',
      Action: 's3:*',
      Resource: '*',
    });
  });
  return { dir, id };
}

describe('genesis diff', () => {
  it('of an output with itself is empty, exit 0, in every format', async () => {
    const dir = await defaultOutput();
    const md = await genesis('diff', dir, dir);
    expect(md).toMatchObject({ code: 0, stderr: '' });
    expect(md.stdout).toMatch(/No changes\.\n$/);
    const { code, diff } = await diffJson(dir, dir, '--fail-on', 'any');
    expect(code).toBe(0);
    expect(diff.summary).toEqual({ broadening: 0, narrowing: 0, neutral: 0 });
    expect(diff.sections.map((s) => s.id)).toEqual([
      'access',
      'reachability',
      'privilege',
      'quota',
      'protection',
      'resources',
    ]);
    expect(diff.sections.every((s) => s.changes.length === 0)).toBe(true);
  });

  it('reports a hand-tampered output as broadening, with its witness, byte-stable across runs', async () => {
    const base = await defaultOutput();
    const { dir, id } = await tampered();
    const first = await genesis('diff', base, dir, '--json');
    expect(first.code).toBe(1);
    const diff = JSON.parse(first.stdout).result;
    const expected = {
      section: 'privilege',
      change: 'added',
      classification: 'broadening',
      witness: {
        file: 'aws/Tenant-aurora-ai.template.json',
        resource: `aws:Tenant-aurora-ai/${id}`,
        path: 'Properties.PolicyDocument.Statement[Sid=Everything]',
      },
      after: { Sid: 'Everything', Effect: 'Allow', Action: 's3:*', Resource: '*' },
    };
    expect(section(diff, 'privilege')).toEqual([expect.objectContaining(expected)]);
    expect(section(diff, 'resources')).toEqual([
      expect.objectContaining({ ...expected, section: 'resources' }),
    ]);
    // Section 1: the grant's date condition no longer bounds the two datasets aurora-ai reads.
    expect(section(diff, 'access').map((c) => [c.change, c.classification, c.reason])).toEqual([
      ['changed', 'broadening', 'lasts longer: until 2027-12-31 -> 2027-12-31, no end'],
      ['changed', 'broadening', 'lasts longer: until 2027-06-30 -> 2027-06-30, no end'],
    ]);
    expect(diff.summary).toEqual({ broadening: 3, narrowing: 0, neutral: 0 });
    const again = await genesis('diff', base, dir, '--json');
    expect(again.stdout).toBe(first.stdout);
    const md = await genesis('diff', base, dir);
    expect(md.stdout).toContain(
      `- **broadening** added \`aws:Tenant-aurora-ai/${id}\` \`Properties.PolicyDocument.Statement[Sid=Everything]\``,
    );
    expect(md.stdout).toContain('(aws/Tenant-aurora-ai.template.json)');
    // The other direction narrows, and --fail-on decides the exit code.
    expect((await diffJson(dir, base)).diff.summary).toEqual({ broadening: 0, narrowing: 3, neutral: 0 });
    expect((await genesis('diff', dir, base)).code).toBe(0);
    expect((await genesis('diff', dir, base, '--fail-on', 'any')).code).toBe(1);
    expect((await genesis('diff', base, dir, '--fail-on', 'never')).code).toBe(0);
  });

  it('reports weakened protection and a raised quota, edited by hand, as broadening', async () => {
    const base = await defaultOutput();
    const dir = await copyOfDefault();
    let bucket = '';
    editJson(path.join(dir, 'aws/Site-govcloud-west.template.json'), (t) => {
      bucket = Object.keys(t.Resources).find((k) => k.startsWith('DatasetNihGenomicsBucket'))!;
      const r = t.Resources[bucket];
      r.DeletionPolicy = 'Delete';
      r.Properties.VersioningConfiguration.Status = 'Suspended';
      r.Properties.PublicAccessBlockConfiguration.BlockPublicPolicy = false;
    });
    editYaml(path.join(dir, 'k8s/govcloud-west/gw-gpu/cluster.yaml'), (objects) => {
      const q = objects.find((o) => o.kind === 'ClusterQueue' && o.metadata.name === 'tenant-aurora-ai')!;
      const gpu = q.spec.resourceGroups[0].flavors[0].resources.find(
        (r: { name: string }) => r.name === 'nvidia.com/gpu',
      );
      gpu.nominalQuota = 24;
      return objects;
    });
    const { code, diff } = await diffJson(base, dir);
    expect(code).toBe(1);
    const at = `aws:Site-govcloud-west/${bucket}`;
    expect(lines(section(diff, 'protection'))).toEqual([
      `protection broadening changed ${at} DeletionPolicy`,
      `protection broadening changed ${at} Properties.PublicAccessBlockConfiguration.BlockPublicPolicy`,
      `protection broadening changed ${at} Properties.VersioningConfiguration.Status`,
    ]);
    expect(lines(section(diff, 'quota'))).toEqual([
      'quota broadening changed k8s:govcloud-west/gw-gpu/ClusterQueue/-/tenant-aurora-ai spec.resourceGroups[0].flavors[name=h100].resources[name=nvidia.com/gpu].nominalQuota',
    ]);
    expect(section(diff, 'quota')[0]).toMatchObject({
      before: 16,
      after: 24,
      witness: { file: 'k8s/govcloud-west/gw-gpu/cluster.yaml' },
    });
    expect(diff.summary).toEqual({ broadening: 4, narrowing: 0, neutral: 0 });
  });

  it('writes SARIF 2.1.0 with a baselineState per result', async () => {
    const base = await defaultOutput();
    const { dir } = await tampered();
    const r = await genesis('diff', base, dir, '--sarif');
    const sarif = JSON.parse(r.stdout);
    const validate = sarifValidator();
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    const results = sarif.runs[0].results;
    expect(results.map((x: SarifResult) => [x.ruleId, x.baselineState, x.level])).toEqual([
      ['GEN-DIFF-ACCESS', 'updated', 'warning'],
      ['GEN-DIFF-ACCESS', 'updated', 'warning'],
      ['GEN-DIFF-PRIVILEGE', 'new', 'warning'],
      ['GEN-DIFF-RESOURCES', 'new', 'warning'],
    ]);
    const back = JSON.parse((await genesis('diff', dir, base, '--sarif')).stdout);
    expect(back.runs[0].results.map((x: SarifResult) => x.baselineState)).toEqual([
      'updated',
      'updated',
      'absent',
      'absent',
    ]);
  });

  it('computes access and reachability from the artifacts: a stale report beside an edit does not hide it', async () => {
    const base = await defaultOutput();
    const { dir } = await tampered();
    // The hand edit leaves the clean output's reports beside it, and forges an empty reachability.
    const clean = await copyOfDefault();
    expect((await genesis('check', clean, '--now', NOW)).code).toBe(0);
    fs.cpSync(path.join(clean, 'report'), path.join(dir, 'report'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'report/reachability.json'), JSON.stringify({ openings: [] }));
    const { diff } = await diffJson(base, dir);
    // s3:* on * escapes the grants' date condition; the bucket and key policies still bound the datasets.
    expect(
      section(diff, 'access').map((c) => {
        const after = c.after as { tenant: string; data: string; until: string };
        return [c.change, c.classification, after.tenant, after.data, after.until];
      }),
    ).toEqual([
      ['changed', 'broadening', 'aurora-ai', 'dhs-grid-telemetry', '2027-12-31, no end'],
      ['changed', 'broadening', 'aurora-ai', 'nih-genomics', '2027-06-30, no end'],
    ]);
    // The reachability section reads the artifacts too: nothing changed there.
    expect(section(diff, 'reachability')).toEqual([]);
    expect(diff.sections.find((s) => s.id === 'reachability')!.note).toBeUndefined();
  });

  it('synthesizes spec files and git revisions first (here: the same spec, so no changes)', async () => {
    const r = await diffJson('HEAD', DEFAULT_SPEC, '--now', NOW, '--fail-on', 'any');
    expect(r.code).toBe(0);
    expect(lines(r.diff.sections.flatMap((s) => s.changes))).toEqual([]);
  });

  it('exits 2 on bad input or usage', async () => {
    const dir = await defaultOutput();
    expect((await genesis('diff', dir)).code).toBe(2);
    expect((await genesis('diff', dir, dir, '--fail-on', 'sometimes')).stderr).toMatch(
      /--fail-on must be broadening, any or never/,
    );
    // `--json` is taken by the CLI for its JSON envelope; the command itself refuses both formats.
    let err = '';
    const both = await runDiff([dir, dir, '--json', '--sarif'], {
      out: () => undefined,
      err: (t) => (err += t),
    }).catch((e: Error) => e);
    expect(both).toBeInstanceOf(Error);
    expect(String(both)).toMatch(/--json and --sarif exclude each other/);
    expect(err).toBe('');
    const missing = await genesis('diff', dir, path.join(dir, 'no-such-thing'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/is not an output folder, a spec file, or a git revision/);
    expect((await genesis('diff', dir, path.join(dir, 'aws'))).code).toBe(2);
    expect((await genesis('diff', '--help')).stdout).toMatch(/^genesis diff BASE HEAD/);
  });
});
