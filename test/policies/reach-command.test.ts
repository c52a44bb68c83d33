/** `genesis reach`: the enclave and tenant matrices of the default output, filters, JSON and exit codes. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../cli/main';
import { copyOfDefault, editJson, logicalId } from './support/default-output';

async function reach(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['reach', ...args], { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

let dir: string;
beforeAll(async () => {
  dir = await copyOfDefault();
}, 120_000);
afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

describe('genesis reach', () => {
  it('finds intent = effect on the default platform, with the enclave matrix', async () => {
    const r = await reach(dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain('gw-cui -> internet: closed');
    expect(r.out).toContain(
      'gw-open -> internet: open (names conda.anaconda.org, files.pythonhosted.org, ghcr.io, pypi.org)',
    );
    expect(r.out).toContain('tenant-nih-nci -> metadata: closed');
    expect(r.out).toContain('0 differences from intent, 0 undecided');
  });

  it('prints JSON filtered by --from and --to', async () => {
    const r = await reach(dir, '--from', 'gw-open', '--to', 'internet', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out).result;
    expect(j.enclaveMatrix).toEqual([
      expect.objectContaining({ from: 'gw-open', to: 'internet', reach: 'open', declared: true }),
    ]);
    expect(j.openings.length).toBeGreaterThan(0);
    for (const o of j.openings) expect(o).toMatchObject({ from: 'gw-open', to: 'internet' });
    expect(j.summary).toMatchObject({ differences: 0, undecided: 0 });
  });

  it('filters tenants by tenant id', async () => {
    const r = await reach(dir, '--from', 'doe-fes', '--json');
    const j = JSON.parse(r.out).result;
    expect(j.clusters.map((c: { cluster: string }) => c.cluster)).toEqual(['lab-east/le-gpu']);
    expect(j.clusters[0].matrix.every((c: { from: string }) => c.from === 'tenant-doe-fes')).toBe(true);
  });

  it('exits 1 and names the witness when an edit opens a path', async () => {
    const copy = await copyOfDefault();
    editJson(path.join(copy, 'aws', 'Site-govcloud-west.template.json'), (t) => {
      const rt = logicalId(t, 'AWS::EC2::RouteTable', (x) =>
        JSON.stringify(x.Properties.Tags).includes('"gw-cui"'),
      );
      t.Resources.ToTgw = {
        Type: 'AWS::EC2::Route',
        Properties: {
          RouteTableId: { Ref: rt },
          DestinationCidrBlock: '0.0.0.0/0',
          TransitGatewayId: 'tgw-0123456789abcdef0',
        },
      };
    });
    const r = await reach(copy, '--from', 'gw-cui');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/gw-cui -> internet: OPEN \(not declared\)/);
    expect(r.out).toMatch(/route ToTgw: .* -> transit gateway tgw-0123456789abcdef0/);
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  });

  it('exits 2 on a missing folder and on unknown options', async () => {
    expect((await reach('/nonexistent-genesis-folder')).code).toBe(2);
    expect((await reach(dir, '--frm', 'x')).code).toBe(2);
  });

  it('has --help', async () => {
    const r = await reach('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^genesis reach \[DIR\] \[--from X\] \[--to Y\] \[--json\]/);
  });
});
