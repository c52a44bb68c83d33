/** `genesis tenant plan` words its changes as `genesis diff` does: classified, with witnesses. */
import * as path from 'node:path';
import { genesis } from '../support/cli';

const CORPUS = path.resolve(__dirname, '..', 'fixtures', 'partners');
const NOW = '2026-11-26';

it('a new partner sees its access and quota changes, classified, property by property', async () => {
  const r = await genesis(
    'tenant',
    'plan',
    path.join(CORPUS, 'good-orbit-labs.tenant.yaml'),
    '--now',
    NOW,
    '--json',
  );
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout).result;
  const sections = new Map<string, Array<Record<string, unknown>>>(
    plan.security.sections.map((s: { id: string; changes: Array<Record<string, unknown>> }) => [
      s.id,
      s.changes,
    ]),
  );
  expect([...sections.keys()]).not.toContain('resources');
  expect(sections.get('quota')).toContainEqual(
    expect.objectContaining({
      classification: 'broadening',
      change: 'added',
      witness: {
        file: 'k8s/govcloud-west/gw-gpu/cluster.yaml',
        resource: 'k8s:govcloud-west/gw-gpu/ClusterQueue/-/tenant-orbit-labs',
        path: '',
      },
    }),
  );
  expect(
    sections
      .get('privilege')!
      .some(
        (c) =>
          c.group === 'Tenant-orbit-labs' && c.type === 'AWS::IAM::Role' && c.classification === 'broadening',
      ),
  ).toBe(true);
  expect(plan.security.summary.narrowing).toBe(0);
  const text = await genesis(
    'tenant',
    'plan',
    path.join(CORPUS, 'good-orbit-labs.tenant.yaml'),
    '--now',
    NOW,
  );
  expect(text.stdout).toMatch(/as genesis diff words it\): \d+ broadening, 0 narrowing/);
  expect(text.stdout).toContain(
    '**broadening** added `k8s:govcloud-west/gw-gpu/ClusterQueue/-/tenant-orbit-labs`',
  );
});
