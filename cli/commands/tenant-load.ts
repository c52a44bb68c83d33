/** The arguments of `genesis tenant validate|plan`: the tenant's file and the platform it joins. */
import { loadPlatform, type ParseCache } from '../../infra/model';
import { parseOptions, UsageError } from '../usage';
import { SPEC_OPTIONS } from './validate';

export function requireFile(positionals: string[], what: string): string {
  const file = positionals[0];
  if (!file) throw new UsageError(`missing ${what}`);
  return file;
}

/** The platform with the tenant's file (`parsed`: parses to share with another load). */
export function loadWithTenant(
  args: string[],
  extra: Record<string, { type: 'boolean' }> = {},
  parsed?: ParseCache,
) {
  const { values, positionals } = parseOptions(args, { ...SPEC_OPTIONS, ...extra }, 1);
  const file = requireFile(positionals, 'tenant spec file');
  const { platform, tenantFileId, warnings } = loadPlatform({
    parsed,
    spec: values.spec,
    tenantsDir: values.tenants,
    tenantFile: file,
    now: values.now,
  });
  if (!tenantFileId) throw new Error(`${file} declared no tenant`);
  return {
    platform,
    file,
    tenantId: tenantFileId,
    warnings,
    values: values as Record<string, string | undefined>,
  };
}
