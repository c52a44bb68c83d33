/**
 * `genesis inventory`: what the platform has, from the validated spec. The totals are computed
 * here again from the spec text (not with the model's capacity arithmetic), so a mistake in either
 * shows; the partner contribution and federation placement are present; CSV parses as RFC 4180;
 * JSON is the same bytes on two runs; bad input and bad usage exit 2 naming the file and field.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { csvField } from '../../cli/inventory/csv';
import { inventory } from '../../cli/inventory';
import { inventoryText } from '../../cli/inventory/text';
import { GPU_INFO, parsePlatform, type GpuModel } from '../../infra/model';
import { genesis } from '../support/cli';
import { TEST_NOW } from '../support/dates';
import { defaultSpecData } from '../support/default-spec';
import { tempDir } from '../support/tmp';

const dir = tempDir('genesis-inventory-');

function writeSpec(name: string, edit: (spec: Record<string, any>) => void): string {
  const spec = defaultSpecData();
  edit(spec);
  const file = path.join(dir, name);
  fs.writeFileSync(file, stringify(spec));
  return file;
}

async function inventoryJson(...args: string[]): Promise<any> {
  const r = await genesis('inventory', '--json', '--now', TEST_NOW, ...args);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).result;
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      const end = /^"((?:[^"]|"")*)"/.exec(text.slice(i));
      if (!end) throw new Error(`unterminated quoted field at ${i}`);
      field += end[1].replace(/""/g, '"');
      i += end[0].length;
    } else if (text[i] === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (text.startsWith('\r\n', i)) {
      records.push([...record, field]);
      record = [];
      field = '';
      i += 2;
    } else {
      if (text[i] === '\n' || text[i] === '\r') throw new Error(`bare line break at ${i}`);
      field += text[i++];
    }
  }
  if (field !== '' || record.length > 0) throw new Error('last record does not end in CRLF');
  return records;
}

describe('genesis inventory on the default platform', () => {
  it('counts the GPUs, units, CPU and memory of every node pool as the spec declares them', async () => {
    const spec = defaultSpecData();
    const result = await inventoryJson();
    const GiB = 2 ** 30;
    const mem = (q: string): number => {
      const m = /^(\d+)(Gi|Ti)$/.exec(q)!;
      return Number(m[1]) * (m[2] === 'Ti' ? 1024 * GiB : GiB);
    };
    const expected = spec.clusters.flatMap((c: any) =>
      c.nodePools.map((p: any) => {
        const low = p.nodes.count ?? p.nodes.min;
        const high = p.nodes.count ?? p.nodes.max;
        const perGpu =
          p.sharing.mode === 'mig'
            ? GPU_INFO[p.gpu.model as GpuModel].migProfiles[p.sharing.profile]
            : p.sharing.mode === 'time-slicing'
              ? p.sharing.replicas
              : 1;
        return {
          id: `${c.id}/${p.name}`,
          gpus: { guaranteed: p.gpu.perNode * low, maximum: p.gpu.perNode * high },
          units: { guaranteed: p.gpu.perNode * perGpu * low, maximum: p.gpu.perNode * perGpu * high },
          cpu: [Number(p.cpuPerNode) * low, Number(p.cpuPerNode) * high],
          memory: [mem(p.memoryPerNode) * low, mem(p.memoryPerNode) * high],
        };
      }),
    );
    const actual = result.pools.map((p: any) => ({
      id: `${p.cluster}/${p.pool}`,
      gpus: p.gpus,
      units: p.units,
      cpu: [Number(p.cpu.guaranteed), Number(p.cpu.maximum)],
      memory: [mem(p.memory.guaranteed), mem(p.memory.maximum)],
    }));
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
    expect(actual.sort(byId)).toEqual(expected.sort(byId));
    const sum = (key: 'guaranteed' | 'maximum') => expected.reduce((a: number, p: any) => a + p.gpus[key], 0);
    expect(result.totals.gpus).toEqual({ guaranteed: sum('guaranteed'), maximum: sum('maximum') });
    // The same numbers, written out: 32 + 8..32 + 16..48 on gw-gpu, 128 + 32 on le-gpu, 32 on aurora-gpu.
    expect(result.totals.gpus).toEqual({ guaranteed: 248, maximum: 304 });
    expect(result.pools.find((p: any) => p.cluster === 'gw-gpu' && p.pool === 'h100-mig')).toMatchObject({
      sharing: 'mig 1g.10gb',
      resource: 'nvidia.com/gpu',
      unitsPerNode: 56,
      units: { guaranteed: 56, maximum: 224 },
    });
  });

  it('lists sites, storage per tier and site, datasets per agency, tenants and grants', async () => {
    const spec = defaultSpecData();
    const result = await inventoryJson();
    expect(result.sites.map((s: any) => [s.site, s.kind, s.gpus.guaranteed])).toEqual([
      ['aurora-dc', 'partner', 32],
      ['govcloud-west', 'aws', 56],
      ['lab-east', 'onprem', 160],
    ]);
    const realisations = spec.storageTiers.flatMap((t: any) => t.sites.map((s: any) => `${t.id}@${s.site}`));
    expect(result.storage.map((s: any) => `${s.tier}@${s.site}`).sort()).toEqual(realisations.sort());
    expect(result.storage.find((s: any) => s.tier === 'scratch' && s.site === 'lab-east')).toEqual({
      tier: 'scratch',
      site: 'lab-east',
      kind: 'parallel-fs',
      capacity: '4Pi',
      backend: 'lustre',
      maxClassification: 'export-controlled',
    });
    const datasets = result.datasets.flatMap((g: any) => g.datasets);
    expect(datasets.sort()).toEqual(spec.datasets.map((d: any) => d.id).sort());
    expect(result.datasets.find((g: any) => g.agency === 'NIH')).toEqual({
      agency: 'NIH',
      classification: 'cui',
      datasets: ['nih-genomics'],
    });
    const noaa = spec.tenants.find((t: any) => t.id === 'noaa-psl');
    const nominal = Object.values(noaa.quotas.gpu).flatMap((p: any) =>
      Object.values(p).map((q: any) => q.nominal),
    );
    expect(result.tenants.find((t: any) => t.tenant === 'noaa-psl')).toEqual({
      tenant: 'noaa-psl',
      kind: 'federal',
      homeEnclave: 'gw-cui',
      agreement: { id: 'IAA-NOAA-2026-014', expires: '2038-09-30' },
      gpuQuota: { nominal: nominal.reduce((a: number, b: any) => a + b, 0), borrowing: 32, pools: 3 },
      grants: { active: 2, expired: 0 },
    });
    expect(result.grants).toHaveLength(spec.grants.length);
    expect(result.grants.every((g: any) => g.status === 'active')).toBe(true);
  });

  it('says what the partner site contributes and where each federated queue dispatches', async () => {
    const result = await inventoryJson();
    expect(result.partners).toEqual([
      {
        site: 'aurora-dc',
        partner: 'aurora-ai',
        agreement: { id: 'CRADA-2026-0042-A1', expires: '2037-12-31', allows: 'cui' },
        ceiling: 'cui',
        usPersons: { attested: true, date: '2026-04-21' },
        clusters: [
          {
            cluster: 'aurora-gpu',
            gpus: { guaranteed: 32, maximum: 32 },
            units: { guaranteed: 32, maximum: 32 },
          },
        ],
        gpus: { guaranteed: 32, maximum: 32 },
        serves: ['noaa-psl'],
        federations: ['national'],
      },
    ]);
    expect(result.federations).toEqual([
      {
        federation: 'national',
        manager: 'gw-gpu',
        workers: ['aurora-gpu'],
        queues: [
          { tenant: 'aurora-ai', requires: 'cui', workers: ['aurora-gpu'], excluded: [] },
          { tenant: 'noaa-psl', requires: 'public', workers: ['aurora-gpu'], excluded: [] },
        ],
      },
    ]);
    const text = (await genesis('inventory', '--now', TEST_NOW)).stdout;
    expect(text).toMatch(/^Inventory of genesis on 2026-11-26 \(1 file\)\n/);
    expect(text).toContain('  aurora-dc: contributed by aurora-ai\n');
    expect(text).toContain('    agreement CRADA-2026-0042-A1, expires 2037-12-31, allows cui\n');
    expect(text).toContain('    tenants served: aurora-ai (the partner), noaa-psl\n');
    expect(text).toContain('  total: 248-304 physical GPUs\n');
    expect(text).toMatch(/^ {2}gw-gpu {6}h100-mig .* 1-4 {3}8-32 {2}mig 1g\.10gb .* 56-224/m);
  });

  it('names the excluded workers of a queue with the reason', async () => {
    const spec = writeSpec('second-worker.yaml', (s) => {
      const second = JSON.parse(JSON.stringify(s.clusters.find((c: any) => c.id === 'aurora-gpu')));
      second.id = 'aurora-gpu2';
      second.nodePools[0].nodes = { min: 0, max: 2 };
      s.clusters.push(second);
      s.federations[0].workers.push('aurora-gpu2');
      s.tenants.find((t: any) => t.id === 'aurora-ai').quotas.gpu['aurora-gpu2'] = {
        h100: { nominal: 0, borrowing: 8 },
      };
    });
    const result = await inventoryJson('--spec', spec);
    expect(result.federations[0].queues[1]).toEqual({
      tenant: 'noaa-psl',
      requires: 'public',
      workers: ['aurora-gpu'],
      excluded: [{ worker: 'aurora-gpu2', reason: 'the tenant has no GPU quota on it' }],
    });
    expect(result.partners[0].gpus).toEqual({ guaranteed: 32, maximum: 48 });
    const text = (await genesis('inventory', '--spec', spec, '--now', TEST_NOW)).stdout;
    expect(text).toMatch(/noaa-psl +public +aurora-gpu +aurora-gpu2: the tenant has no GPU quota on it\n/);
  });

  it('marks the grants that expired on --now, and warns of them as validate does', async () => {
    const r = await genesis('inventory', '--json', '--now', '2027-07-01');
    const report = JSON.parse(r.stdout);
    expect(report.exitCode).toBe(0);
    const expired = report.result.grants.filter((g: any) => g.status === 'expired');
    const spec = defaultSpecData();
    expect(expired.map((g: any) => `${g.tenant}/${g.dataset}`).sort()).toEqual(
      spec.grants
        .filter((g: any) => g.expires < '2027-07-01')
        .map((g: any) => `${g.tenant}/${g.dataset}`)
        .sort(),
    );
    expect(report.result.grants).toHaveLength(spec.grants.length);
    expect(report.warnings).toHaveLength(expired.length);
    expect(report.result.tenants.find((t: any) => t.tenant === 'helix-bio').grants).toEqual({
      active: 0,
      expired: 2,
    });
  });

  it('takes the partner tenant files of --tenants', async () => {
    const tenants = path.join(dir, 'tenants');
    fs.mkdirSync(tenants);
    fs.writeFileSync(
      path.join(tenants, 'orbit-labs.yaml'),
      stringify({
        apiVersion: 'genesis.platform/v1',
        kind: 'Tenant',
        tenant: {
          id: 'orbit-labs',
          kind: 'academic',
          organisation: 'Orbit Labs University',
          usPerson: { attested: false },
          agreement: { id: 'NSF-2026-9999', expires: '2030-01-31' },
          homeEnclave: 'gw-cui',
          contacts: [{ name: 'Ada Moss', email: 'ada@orbit.example.edu', role: 'technical' }],
        },
        grants: [
          { dataset: 'usgs-lidar', access: 'read', purpose: 'Terrain studies', expires: '2027-01-31' },
        ],
      }),
    );
    const r = await genesis('inventory', '--json', '--now', TEST_NOW, '--tenants', tenants);
    const report = JSON.parse(r.stdout);
    expect(report.exitCode).toBe(0);
    expect(report.output).toMatch(/^Inventory of genesis on 2026-11-26 \(2 files\)\n/);
    expect(report.result.tenants.find((t: any) => t.tenant === 'orbit-labs')).toMatchObject({
      kind: 'academic',
      gpuQuota: { nominal: 0, borrowing: 0, pools: 0 },
      grants: { active: 1, expired: 0 },
    });
  });
});

describe('output formats', () => {
  it('--csv: one RFC 4180 table with a section column, quoted where a field needs it', async () => {
    const r = await genesis('inventory', '--csv', '--now', TEST_NOW);
    expect(r.code).toBe(0);
    const records = parseCsv(r.stdout);
    const [header, ...rows] = records;
    expect(header[0]).toBe('section');
    expect(new Set(header).size).toBe(header.length);
    for (const row of rows) expect(row).toHaveLength(header.length);
    const col = (name: string) => header.indexOf(name);
    const sections = [...new Set(rows.map((row) => row[0]))];
    expect(sections).toEqual([
      'site',
      'pool',
      'storage',
      'datasets',
      'tenant',
      'grant',
      'partner',
      'federation',
      'queue',
    ]);
    const json = await inventoryJson();
    const pools = rows.filter((row) => row[0] === 'pool');
    expect(pools.map((row) => [row[col('cluster')], row[col('pool')], Number(row[col('gpus_max')])])).toEqual(
      json.pools.map((p: any) => [p.cluster, p.pool, p.gpus.maximum]),
    );
    expect(r.stdout).toContain('site,aurora-dc,partner,"Aurora AI data centre, Ashburn, Virginia",');
    const partner = rows.find((row) => row[0] === 'partner')!;
    expect([
      partner[col('site')],
      partner[col('partner')],
      partner[col('ceiling')],
      partner[col('serves')],
    ]).toEqual(['aurora-dc', 'aurora-ai', 'cui', 'noaa-psl']);
  });

  it('quotes commas, quotes and line breaks, and nothing else', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(12)).toBe('12');
    expect(parseCsv(`${['x,"y"', 'z'].map(csvField).join(',')}\r\n`)).toEqual([['x,"y"', 'z']]);
  });

  it('--json: the inventory is the result, the same bytes on two runs, keys sorted', async () => {
    const a = await genesis('inventory', '--json', '--now', TEST_NOW);
    const b = await genesis('inventory', '--json', '--now', TEST_NOW);
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout);
    expect(report).toMatchObject({ command: 'inventory', exitCode: 0, ok: true, error: null, problems: [] });
    expect(Object.keys(report.result)).toEqual([...Object.keys(report.result)].sort());
    expect(report.output).toBe((await genesis('inventory', '--now', TEST_NOW)).stdout);
    const csv = [
      await genesis('inventory', '--csv', '--now', TEST_NOW),
      await genesis('inventory', '--csv', '--now', TEST_NOW),
    ];
    expect(csv[0].stdout).toBe(csv[1].stdout);
  });

  it('shows empty sections as (none) for a platform without partners or federations', () => {
    const spec = defaultSpecData();
    spec.sites = spec.sites.filter((s: any) => s.kind !== 'partner');
    spec.enclaves = spec.enclaves.filter((e: any) => e.site !== 'aurora-dc');
    spec.clusters = spec.clusters.filter((c: any) => c.site !== 'aurora-dc');
    for (const t of spec.tenants) {
      delete t.quotas.gpu['aurora-gpu'];
      delete t.federations;
    }
    spec.federations = [];
    const inv = inventory({ platform: parsePlatform(spec, { now: TEST_NOW }), now: TEST_NOW });
    expect(inv.partners).toEqual([]);
    expect(inv.totals.gpus).toEqual({ guaranteed: 216, maximum: 272 });
    const text = inventoryText(inv, 1);
    expect(text).toContain('\nPartner contributions (0)\n  (none)\n');
    expect(text).toContain('\nFederations (0)\n  (none)\n');
  });
});

describe('bad input and usage', () => {
  it('exits 2 on an invalid spec, naming the file, line and field', async () => {
    const bad = writeSpec('bad-pool.yaml', (s) => {
      s.clusters[0].nodePools[1].gpu.perNode = 0;
    });
    const r = await genesis('inventory', '--spec', bad, '--now', TEST_NOW);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^genesis inventory: invalid input \(1 problem\):\n/);
    expect(r.stderr).toMatch(
      new RegExp(
        `^  ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: clusters\\[0\\]\\.nodePools\\[1\\]\\.gpu\\.perNode: `,
        'm',
      ),
    );
    const json = JSON.parse((await genesis('inventory', '--json', '--spec', bad, '--now', TEST_NOW)).stdout);
    expect(json).toMatchObject({ exitCode: 2, ok: false, result: null, error: 'invalid input (1 problem)' });
    expect(json.problems).toEqual([
      expect.objectContaining({ file: bad, path: 'clusters[0].nodePools[1].gpu.perNode' }),
    ]);
  });

  it('exits 2 on a spec file that does not exist, naming it', async () => {
    const r = await genesis('inventory', '--spec', path.join(dir, 'missing.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing\.yaml: \(file\): does not exist/);
  });

  it.each([
    [['--frob'], /Unknown option '--frob'/],
    [['extra'], /Unexpected argument 'extra'/],
    [['--spec'], /argument missing/],
    [['--csv=yes'], /does not take an argument/],
    [['--now', '2026-02-30'], /--now: "2026-02-30" must be a date written YYYY-MM-DD/],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const r = await genesis('inventory', ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
