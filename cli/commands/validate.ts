/** `genesis validate`: load and check a platform spec, print a one-line summary. */
import { loadPlatform } from '../../infra/model';
import { EXIT_OK, parseOptions, type Io } from '../usage';

export const HELP = `genesis validate [--spec FILE] [--tenants DIR] [--now YYYY-MM-DD]

Checks a platform spec (the embedded default when --spec is not given) and any partner tenant
files in --tenants: shape, references, address plans, capacity, classification and grants.
Grants and agreements are judged against --now (default: today, UTC).`;

export const SPEC_OPTIONS = {
  spec: { type: 'string' },
  tenants: { type: 'string' },
  now: { type: 'string' },
} as const;

export function run(args: string[], io: Io): number {
  const { values } = parseOptions(args, SPEC_OPTIONS);
  const { platform, files } = loadPlatform({ spec: values.spec, tenantsDir: values.tenants, now: values.now });
  io.out(
    `valid: ${platform.metadata.name} (${files.length} file${files.length === 1 ? '' : 's'}): ` +
      `${platform.sites.length} sites, ${platform.enclaves.length} enclaves, ${platform.storageTiers.length} storage tiers, ` +
      `${platform.clusters.length} clusters, ${platform.datasets.length} datasets, ${platform.tenants.length} tenants, ` +
      `${platform.grants.length} grants\n`,
  );
  return EXIT_OK;
}
