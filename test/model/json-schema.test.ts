/** The JSON Schema printed by `genesis schema` agrees with the zod model on real documents. */
import Ajv2020 from 'ajv/dist/2020';
import { genesis } from '../support/cli';
import { defaultSpecData } from '../support/default-spec';

async function schemaOf(kind: string): Promise<object> {
  const r = await genesis('schema', '--kind', kind);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('genesis schema', () => {
  let validate: ReturnType<Ajv2020['compile']>;
  beforeAll(async () => {
    validate = new Ajv2020({ strict: false, allErrors: true }).compile(await schemaOf('platform'));
  });

  it('validates the embedded default spec', () => {
    const ok = validate(defaultSpecData());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a spec with an unknown key, naming it', () => {
    const spec = defaultSpecData();
    spec.tenants[1].quotas.gpus = {};
    expect(validate(spec)).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({
        instancePath: '/tenants/1/quotas',
        keyword: 'additionalProperties',
        params: { additionalProperty: 'gpus' },
      }),
    );
  });

  it('rejects a wrongly typed value and a bad pattern', () => {
    const spec = defaultSpecData();
    spec.clusters[0].nodePools[0].gpu.perNode = 'eight';
    spec.enclaves[0].cidr = 'ten.forty';
    expect(validate(spec)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => e.instancePath);
    expect(paths).toContain('/clusters/0/nodePools/0/gpu/perNode');
  });

  it('prints a tenant-file schema that accepts a partner file and rejects unknown keys', async () => {
    const v = new Ajv2020({ strict: false }).compile(await schemaOf('tenant'));
    const spec = defaultSpecData();
    const tenant = spec.tenants[3];
    const grants = spec.grants
      .filter((g: { tenant: string }) => g.tenant === tenant.id)
      .map(({ tenant: _t, ...g }: { tenant: string }) => g);
    const doc = { apiVersion: 'genesis.platform/v1', kind: 'Tenant', tenant, grants };
    expect(v(doc)).toBe(true);
    expect(v({ ...doc, extra: 1 })).toBe(false);
  });

  it('refuses an unknown --kind with exit 2', async () => {
    const r = await genesis('schema', '--kind', 'cluster');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--kind must be "platform" or "tenant"/);
  });
});
