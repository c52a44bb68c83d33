/**
 * Selective synthesis: building only some stacks (and the stacks they depend on) gives the same
 * template bytes for them as a full synthesis.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPlatform } from '../../infra/model';
import { synthAws } from '../../stacks/aws/app';
import { placeOnAws } from '../../stacks/aws/placement';
import { parseStackList, selectStacks, StackSelectionError } from '../../stacks/aws/select';
import { PARTNER_AWS_STACK, writePartnerAwsSpec } from '../fixtures/partner-aws';
import { tempDir } from '../support/tmp';
import { NOW } from './synth';
import { cdkApp } from '../support/apps';

const ROOT = path.resolve(__dirname, '..', '..');
const platform = loadPlatform({ now: NOW }).platform;
const work = tempDir('genesis-select-');
const full = path.join(work, 'full');
synthAws(platform, full);

const stacksIn = (dir: string): string[] =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => f.replace('.template.json', ''))
    .sort();

test('one tenant stack: built with its site stack only, byte for byte as in the full synthesis', () => {
  const one = path.join(work, 'one');
  synthAws(platform, one, { stacks: ['Tenant-noaa-psl'] });
  expect(stacksIn(one)).toEqual(['Site-govcloud-west', 'Tenant-noaa-psl']);
  expect(stacksIn(full).length).toBeGreaterThan(2);
  for (const stack of stacksIn(one)) {
    for (const suffix of ['.template.json', '.assets.json']) {
      expect(fs.readFileSync(path.join(one, stack + suffix), 'utf8')).toBe(
        fs.readFileSync(path.join(full, stack + suffix), 'utf8'),
      );
    }
  }
});

test('patterns select every matching stack; a pattern matching nothing is refused', () => {
  const placement = placeOnAws(platform);
  const tenants = selectStacks(placement, parseStackList('Tenant-n*'));
  expect([...tenants.build].sort()).toEqual(['Site-govcloud-west', 'Tenant-nih-nci', 'Tenant-noaa-psl']);
  // the site stack is built as their dependency, not named: the CloudFormation validator skips it
  expect([...tenants.named].sort()).toEqual(['Tenant-nih-nci', 'Tenant-noaa-psl']);
  expect([...selectStacks(placement, ['Site-govcloud-west']).build]).toEqual(['Site-govcloud-west']);
  expect(() => selectStacks(placement, ['Tenant-nobody', 'Tenant-noaa-psl'])).toThrow(StackSelectionError);
  expect(() => selectStacks(placement, ['Tenant-nobody'])).toThrow(/"Tenant-nobody" names no stack/);
});

test('the CDK app reads the stacks context key (as `cdk synth -c stacks=...` passes it)', () => {
  const out = path.join(work, 'cdk');
  const r = spawnSync(...cdkApp(), {
    cwd: ROOT,
    env: {
      ...process.env,
      CDK_OUTDIR: out,
      CDK_CONTEXT_JSON: JSON.stringify({ stacks: 'Tenant-helix-bio', now: NOW }),
    },
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(stacksIn(out)).toEqual(['Site-govcloud-west', 'Tenant-helix-bio']);
  expect(fs.readFileSync(path.join(out, 'Tenant-helix-bio.template.json'), 'utf8')).toBe(
    fs.readFileSync(path.join(full, 'Tenant-helix-bio.template.json'), 'utf8'),
  );

  const bad = spawnSync(...cdkApp(), {
    cwd: ROOT,
    env: {
      ...process.env,
      CDK_OUTDIR: path.join(work, 'bad'),
      CDK_CONTEXT_JSON: JSON.stringify({ stacks: 'Tenant-nobody', now: NOW }),
    },
    encoding: 'utf8',
  });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/stacks: "Tenant-nobody" names no stack/);
  expect(fs.existsSync(path.join(work, 'bad', 'manifest.json'))).toBe(false);
}, 120_000);

test('a partner stack (Partner-<site>, in the partner account) is built alone, byte for byte as in the full synthesis', () => {
  const dir = path.join(work, 'partner');
  fs.mkdirSync(dir);
  const variant = loadPlatform({ spec: writePartnerAwsSpec(dir), now: NOW }).platform;
  const all = path.join(dir, 'full');
  synthAws(variant, all);
  const alone = path.join(dir, 'alone');
  synthAws(variant, alone, { stacks: [PARTNER_AWS_STACK] });
  expect(stacksIn(alone)).toEqual([PARTNER_AWS_STACK]);
  expect(stacksIn(all)).toContain(PARTNER_AWS_STACK);
  for (const suffix of ['.template.json', '.assets.json'])
    expect(fs.readFileSync(path.join(alone, PARTNER_AWS_STACK + suffix), 'utf8')).toBe(
      fs.readFileSync(path.join(all, PARTNER_AWS_STACK + suffix), 'utf8'),
    );
  // The platform's site stack, which holds the manager's grant, is the same built alone too.
  const site = path.join(dir, 'site');
  synthAws(variant, site, { stacks: ['Site-govcloud-west'] });
  expect(fs.readFileSync(path.join(site, 'Site-govcloud-west.template.json'), 'utf8')).toBe(
    fs.readFileSync(path.join(all, 'Site-govcloud-west.template.json'), 'utf8'),
  );
  expect([...selectStacks(placeOnAws(variant), ['Partner-*']).build]).toEqual([PARTNER_AWS_STACK]);
});
