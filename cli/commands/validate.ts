/** `genesis validate`: load and check a platform spec, print a one-line summary. */
import { loadPlatform } from '../../infra/model';
import { EXIT_OK, parseOptions, warn, type Io } from '../usage';

export const HELP = `genesis validate [--spec FILE] [--tenants DIR] [--now YYYY-MM-DD]

Checks a platform spec (the embedded default when --spec is not given) and any partner tenant
files in --tenants: shape, references, address plans, capacity, classification and grants.
Grants and agreements are judged against --now (default: $GENESIS_NOW, else today, UTC). An
expired grant is a warning: it gives no access and is left out of what synth writes. A tenant
file whose tenant is already in the spec replaces it (a revision; it may not change the
organisation or kind).`;

export const SPEC_OPTIONS = {
  spec: { type: 'string' },
  tenants: { type: 'string' },
  now: { type: 'string' },
} as const;

export function run(args: string[], io: Io): number {
  const { values } = parseOptions(args, SPEC_OPTIONS);
  const { platform, files, warnings } = loadPlatform({
    spec: values.spec,
    tenantsDir: values.tenants,
    now: values.now,
  });
  for (const w of warnings) warn(io, w);
  const counts = {
    sites: platform.sites.length,
    enclaves: platform.enclaves.length,
    storageTiers: platform.storageTiers.length,
    clusters: platform.clusters.length,
    datasets: platform.datasets.length,
    tenants: platform.tenants.length,
    grants: platform.grants.length,
    federations: platform.federations.length,
  };
  io.result?.({ platform: platform.metadata.name, files: files.length, ...counts });
  io.out(
    `valid: ${platform.metadata.name} (${files.length} file${files.length === 1 ? '' : 's'}): ` +
      `${platform.sites.length} sites, ${platform.enclaves.length} enclaves, ${platform.storageTiers.length} storage tiers, ` +
      `${platform.clusters.length} clusters, ${platform.datasets.length} datasets, ${platform.tenants.length} tenants, ` +
      `${platform.grants.length} grants${warnings.length > 0 ? ` in force (${warnings.length} expired, left out)` : ''}, ` +
      `${platform.federations.length} federation${platform.federations.length === 1 ? '' : 's'}\n`,
  );
  return EXIT_OK;
}
