/** Reviewed exceptions: strict validation, suppression, expiry and staleness. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../cli/commands/check';
import { DEFAULT_EXCEPTIONS_FILE, InputError, RULES, checkArtifacts } from '../../policies';
import { exceptionsPath } from '../../policies/engine/checks';
import { loadExceptions } from '../../policies/engine/exceptions';
import { exampleArtifacts } from '../../policies/engine/examples';
import { namedExamples } from '../../policies/engine/types';
import { copyOfDefault, NOW } from './support/default-output';

const KNOWN = new Set(RULES.map((r) => r.id));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-exc-'));
let n = 0;
function file(entries: unknown, raw?: string): string {
  const f = path.join(tmp, `exceptions-${n++}.yaml`);
  fs.writeFileSync(f, raw ?? stringify({ exceptions: entries }));
  return f;
}

const entry = (over: Record<string, unknown> = {}) => ({
  rule: 'GEN-AWS-DP-012',
  resource: 'aws:Site-example/Key',
  reason: 'Key material is rotated out of band by the HSM team; see SEC-42',
  owner: 'security@example.gov',
  expires: '2027-01-31',
  ...over,
});

// One unrotated key: GEN-AWS-DP-012 fires on aws:Site-example/Key.
const artifacts = exampleArtifacts(
  namedExamples(RULES.find((r) => r.id === 'GEN-AWS-DP-012')!).find((e) => e.expect.fires)!.artifacts,
);
const run012 = (f: string, now: string) =>
  checkArtifacts(artifacts, {
    rules: RULES.filter((r) => r.id === 'GEN-AWS-DP-012'),
    exceptionsFile: f,
    now,
  });

describe('the reviewed exceptions file', () => {
  it('is valid and empty', () => {
    expect(loadExceptions(DEFAULT_EXCEPTIONS_FILE, KNOWN)).toEqual([]);
    expect(fs.readFileSync(DEFAULT_EXCEPTIONS_FILE, 'utf8')).toMatch(/^# /);
  });
});

describe('validation', () => {
  it.each([
    ['an unknown key', [entry({ approver: 'x' })], /exceptions\[0\]/],
    ['a missing owner', [entry({ owner: undefined })], /exceptions\[0\]\.owner/],
    ['an owner that is not an email', [entry({ owner: 'bob' })], /exceptions\[0\]\.owner/],
    ['a bad date', [entry({ expires: '2027-02-30' })], /exceptions\[0\]\.expires/],
    ['a short reason', [entry({ reason: 'because' })], /exceptions\[0\]\.reason/],
    ['a malformed resource key', [entry({ resource: 'Key' })], /exceptions\[0\]\.resource/],
    ['an unknown rule', [entry({ rule: 'GEN-AWS-DP-999' })], /exceptions\[0\]\.rule: no rule/],
    ['a duplicate', [entry(), entry()], /exceptions\[1\]: duplicate/],
  ])('rejects %s, naming the field', (_name, entries, message) => {
    const f = file(entries);
    expect(() => loadExceptions(f, KNOWN)).toThrow(InputError);
    expect(() => loadExceptions(f, KNOWN)).toThrow(message);
    expect(() => loadExceptions(f, KNOWN)).toThrow(f);
  });

  it('rejects YAML that does not parse, with its line', () => {
    expect(() => loadExceptions(file(null, 'exceptions:\n  - rule: [x\n'), KNOWN)).toThrow(/line \d/);
  });

  it('makes genesis check exit 2 naming the file and field', async () => {
    const f = file([entry({ owner: 'nobody' })]);
    let err = '';
    const code = await run([await copyOfDefault(), '--exceptions', f, '--now', NOW], {
      out: () => undefined,
      err: (t) => (err += t),
    });
    expect(code).toBe(2);
    expect(err).toContain(f);
    expect(err).toContain('exceptions[0].owner');
  });
});

describe('application', () => {
  it('suppresses the matching finding until the end of its expiry day', () => {
    for (const now of ['2026-11-26', '2027-01-31']) {
      const r = run012(file([entry()]), now);
      const f = r.findings.find((x) => x.ruleId === 'GEN-AWS-DP-012')!;
      expect(f.suppression).toEqual({
        reason: entry().reason,
        owner: 'security@example.gov',
        expires: '2027-01-31',
      });
      expect(r.summary.error).toBe(0);
      expect(r.summary.suppressed).toBe(1);
    }
  });

  it('stops suppressing once expired, and reports the expired exception as an error', () => {
    const f = file([entry()]);
    const r = run012(f, '2027-02-01');
    expect(r.findings.find((x) => x.ruleId === 'GEN-AWS-DP-012')!.suppression).toBeUndefined();
    const expired = r.findings.find((x) => x.ruleId === 'GEN-EXC-001')!;
    expect(expired).toMatchObject({
      severity: 'error',
      location: { line: 2, resourceKey: 'exception:GEN-AWS-DP-012/aws:Site-example/Key' },
    });
    expect(expired.message).toContain('expired on 2027-01-31');
    expect(r.summary.error).toBe(2);
  });

  it('reports an exception that matches no finding as a warning', () => {
    const r = run012(file([entry(), entry({ resource: 'aws:Site-example/Gone' })]), NOW);
    const stale = r.findings.filter((x) => x.ruleId === 'GEN-EXC-002');
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ severity: 'warning', location: { line: 7 } });
    expect(r.summary.error).toBe(0);
  });

  it('suppresses only the named rule on the named resource', () => {
    const r = run012(file([entry({ rule: 'GEN-AWS-DP-010' })]), NOW);
    expect(r.findings.find((x) => x.ruleId === 'GEN-AWS-DP-012')!.suppression).toBeUndefined();
    expect(r.summary.error).toBe(1);
  });

  it('lets genesis check exit 0 when an exception covers the only error, and marks it suppressed in SARIF', async () => {
    const dir = await copyOfDefault();
    const tpl = path.join(dir, 'aws', 'Site-govcloud-west.template.json');
    const t = JSON.parse(fs.readFileSync(tpl, 'utf8'));
    const keyId = Object.keys(t.Resources)
      .filter((k) => t.Resources[k].Type === 'AWS::KMS::Key')
      .sort()[0];
    t.Resources[keyId].Properties.EnableKeyRotation = false;
    fs.writeFileSync(tpl, JSON.stringify(t, null, 1));
    const io = { out: () => undefined, err: () => undefined };
    expect(await run([dir, '--now', NOW], io)).toBe(1);
    const f = file([entry({ resource: `aws:Site-govcloud-west/${keyId}` })]);
    expect(await run([dir, '--exceptions', f, '--now', NOW], io)).toBe(0);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'report/findings.sarif'), 'utf8'));
    const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'GEN-AWS-DP-012');
    expect(result.suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted' });
    expect(await run([dir, '--exceptions', f, '--now', '2027-02-01'], io)).toBe(1);
  });
});

describe('where exception findings point', () => {
  it('names the file relative to the repository when inside it, else absolutely, and SARIF validates', async () => {
    const dir = await copyOfDefault();
    const outside = file([entry({ resource: 'aws:Site-govcloud-west/Nothing' })]);
    const io = { out: () => undefined, err: () => undefined };
    expect(await run([dir, '--exceptions', outside, '--now', NOW], io)).toBe(0);
    const findings = JSON.parse(fs.readFileSync(path.join(dir, 'report/findings.json'), 'utf8')).findings;
    const stale = findings.find((f: { ruleId: string }) => f.ruleId === 'GEN-EXC-002');
    expect(stale.location.file).toBe(path.resolve(outside));
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'report/findings.sarif'), 'utf8'));
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'GEN-EXC-002');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/^file:\/\//);
    expect(result.locations[0].physicalLocation.region.startLine).toBe(2);
    expect(exceptionsPath(DEFAULT_EXCEPTIONS_FILE)).toBe('policies/exceptions.yaml');
  });
});
