/**
 * Issue 13.2: an expired grant is a warning and gives no access: synth leaves it out of both
 * targets. The default spec stays valid on any date up to its agreements (2037 and later).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { genesisBin } from '../support/bin';
import { TEST_NOW } from '../support/dates';
import { tempDir } from '../support/tmp';

const dir = tempDir('genesis-expired-');
// helix-bio's grant of nasa-earthobs (grants[6]) ends on 2027-03-31.
const AFTER = '2027-04-15';

function grep(root: string, needle: RegExp): string[] {
  const hits: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (needle.test(fs.readFileSync(p, 'utf8'))) hits.push(path.relative(root, p));
    }
  };
  walk(root);
  return hits.sort();
}

describe('an expired grant', () => {
  it('is a warning for validate, with file:line, and the spec stays valid', () => {
    const r = genesisBin(['validate', '--now', AFTER]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: .*platform\.yaml:\d+:\d+: grants\[6\]\.expires: the grant expired on 2027-03-31 \(now is 2027-04-15\); it gives no access and is left out of the output$/m,
    );
    expect(r.stdout).toMatch(/11 grants in force \(1 expired, left out\)/);
  });

  it('is listed under warnings with --json', () => {
    const report = JSON.parse(genesisBin(['validate', '--now', AFTER, '--json']).stdout);
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([expect.objectContaining({ path: 'grants[6].expires' })]);
  });

  it('synthesizes to no access on either target', () => {
    const before = path.join(dir, 'before');
    const after = path.join(dir, 'after');
    expect(genesisBin(['synth', '--out', before, '--now', TEST_NOW]).code).toBe(0);
    const r = genesisBin(['synth', '--out', after, '--now', AFTER]);
    expect(r.code).toBe(0);
    const helixToEarthobs = /NasaEarthobs|nasa-earthobs/;
    // Before: helix-bio's stack, namespace and the dataset's key and bucket name the grant.
    expect(grep(path.join(before, 'aws'), helixToEarthobs)).toContain('Tenant-helix-bio.template.json');
    expect(grep(path.join(before, 'k8s'), helixToEarthobs)).toContain(
      'govcloud-west/gw-gpu/tenant-helix-bio.yaml',
    );
    // After: neither target gives helix-bio anything of nasa-earthobs.
    expect(fs.readFileSync(path.join(after, 'aws', 'Tenant-helix-bio.template.json'), 'utf8')).not.toMatch(
      helixToEarthobs,
    );
    expect(
      fs.readFileSync(path.join(after, 'k8s', 'govcloud-west', 'gw-gpu', 'tenant-helix-bio.yaml'), 'utf8'),
    ).not.toMatch(helixToEarthobs);
    const platform = JSON.parse(fs.readFileSync(path.join(after, 'platform.json'), 'utf8'));
    expect(
      platform.grants.filter(
        (g: { tenant: string; dataset: string }) => g.tenant === 'helix-bio' && g.dataset === 'nasa-earthobs',
      ),
    ).toEqual([]);
  });

  it('leaves the default valid on any date until its agreements end, every grant then a warning', () => {
    const r = genesisBin(['validate', '--now', '2036-12-31', '--json']);
    const report = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(report.warnings).toHaveLength(12);
    expect(report.result.grants).toBe(0);
  });
});
