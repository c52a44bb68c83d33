/**
 * Property tests of `genesis synth` (few runs: each is a full synthesis):
 * - any valid platform generated from the default (extra tenants with random quotas, storage and
 *   grants) synthesizes with exit 0 and no error finding, and byte-identically twice;
 * - a generated invalid spec gives exit 2 and writes nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { INVALID_SPECS, type Edit } from '../fixtures/invalid-specs';
import { genesis } from '../support/cli';
import { defaultSpecData } from '../support/default-spec';
import { readTree, tempDir } from '../support/tmp';

const NOW = '2026-11-26';
const work = tempDir('genesis-synth-prop-');
let n = 0;

interface ExtraTenant {
  readonly suffix: string;
  readonly academic: boolean;
  readonly nominal: number;
  readonly borrowing: number;
  readonly storage: boolean;
  readonly datasets: readonly string[];
}

const extraTenant: fc.Arbitrary<ExtraTenant> = fc.record({
  suffix: fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/),
  academic: fc.boolean(),
  nominal: fc.integer({ min: 1, max: 4 }),
  borrowing: fc.integer({ min: 0, max: 1 }),
  storage: fc.boolean(),
  datasets: fc.subarray(['noaa-reanalysis', 'nih-genomics']),
});

/** The default spec with extra tenants on the MIG pool of gw-gpu, the pool grown to hold them. */
function validSpec(extra: readonly ExtraTenant[]): ReturnType<typeof defaultSpecData> {
  const spec = defaultSpecData();
  const pool = spec.clusters
    .find((c: { id: string }) => c.id === 'gw-gpu')
    .nodePools.find((p: { name: string }) => p.name === 'h100-mig');
  const needed = 42 + extra.reduce((s, t) => s + t.nominal, 0); // the default tenants hold 42 slices
  pool.nodes = { min: Math.ceil(needed / 56), max: Math.ceil(needed / 56) + 4 };
  extra.forEach((t, i) => {
    const id = `prop-${i}-${t.suffix}`;
    spec.tenants.push({
      id,
      kind: t.academic ? 'academic' : 'industry',
      organisation: `Generated Partner ${i}`,
      usPerson: { attested: true, date: '2026-01-01' },
      agreement: { id: `PROP-${i}`, expires: '2028-12-31' },
      homeEnclave: 'gw-cui',
      quotas: {
        gpu: { 'gw-gpu': { 'h100-mig': { nominal: t.nominal, borrowing: t.borrowing } } },
        ...(t.storage ? { storage: { objects: '1Ti' } } : {}),
      },
      contacts: [{ name: `Partner ${i}`, email: `ops${i}@partner.example.com`, role: 'technical' }],
    });
    for (const dataset of t.datasets)
      spec.grants.push({
        tenant: id,
        dataset,
        access: 'read',
        purpose: 'Generated workload',
        expires: '2028-06-30',
      });
  });
  return spec;
}

function specFile(spec: Record<string, unknown>): string {
  const file = path.join(work, `spec-${++n}.yaml`);
  fs.writeFileSync(file, stringify(spec));
  return file;
}

test('a valid generated platform synthesizes with no error finding, byte-identically twice', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(extraTenant, { minLength: 1, maxLength: 3 }), async (extra) => {
      const spec = specFile(validSpec(extra));
      const [a, b] = [path.join(work, `out-${n}-a`), path.join(work, `out-${n}-b`)];
      const first = await genesis('synth', '--spec', spec, '--out', a, '--now', NOW);
      expect(first.stderr).not.toMatch(/invalid input/);
      expect(first.code).toBe(0);
      expect(JSON.parse(fs.readFileSync(path.join(a, 'report', 'findings.json'), 'utf8')).summary.error).toBe(
        0,
      );
      expect((await genesis('synth', '--spec', spec, '--out', b, '--now', NOW)).code).toBe(0);
      expect(readTree(b)).toEqual(readTree(a));
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    }),
    { numRuns: 2 },
  );
}, 600_000);

/** Invalid edits: the corpus's edits of the default spec, and generated ones. */
const corpusEdits: Edit[] = INVALID_SPECS.flatMap((c) =>
  typeof c.spec === 'function' && !c.tenants && !c.args ? [c.spec] : [],
);
const invalidEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.constantFrom(...corpusEdits),
  fc.integer({ min: -50, max: -1 }).map(
    (q): Edit =>
      (s) =>
        (s.tenants[0].quotas.gpu = { 'gw-gpu': { h100: { nominal: q } } }),
  ),
  fc.stringMatching(/^[A-Z_ .]{1,12}$/).map(
    (id): Edit =>
      (s) =>
        (s.tenants[1].id = id),
  ),
  fc.integer({ min: 10_000, max: 1_000_000 }).map(
    (q): Edit =>
      (s) =>
        (s.tenants[0].quotas.gpu = { 'gw-gpu': { h100: { nominal: q } } }),
  ),
);

test('a generated invalid spec gives exit 2 and writes nothing', async () => {
  expect(corpusEdits.length).toBeGreaterThan(5);
  await fc.assert(
    fc.asyncProperty(invalidEdit, async (edit) => {
      const spec = defaultSpecData();
      edit(spec);
      const out = path.join(work, `invalid-${++n}`);
      const r = await genesis('synth', '--spec', specFile(spec), '--out', out, '--now', NOW);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/invalid input/);
      expect(fs.existsSync(out)).toBe(false);
    }),
    { numRuns: 6 },
  );
}, 300_000);
