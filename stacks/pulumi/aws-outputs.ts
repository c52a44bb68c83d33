/**
 * `genesis:awsOutputs`: the deploy-time storage ids of an AWS cluster's site, read from the file
 * that `cdk deploy Site-<site> --outputs-file FILE` wrote, as `genesis synth --aws-outputs` reads
 * it. Nobody copies file system ids by hand into `genesis:awsStorage`.
 */
import * as fs from 'node:fs';
import { siteStackName } from '../../infra/contract/names';
import { SITE_OUTPUT_KEYS } from '../../infra/contract/site-outputs';
import type { Cluster, Platform } from '../../infra/model';
import { AwsStorageConfig, CONFIG_NAMESPACE, StackConfigError } from './settings';

const KEY = `${CONFIG_NAMESPACE}:awsOutputs`;

function readOutputs(file: string): Record<string, Record<string, unknown>> {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      e instanceof SyntaxError
        ? `is not JSON (${e.message})`
        : code === 'ENOENT'
          ? 'does not exist'
          : code === 'EISDIR'
            ? 'is a folder, not a file'
            : `cannot be read (${code ?? String(e)})`;
    throw new StackConfigError([
      `${KEY}: ${file} ${why}; write it with \`npx cdk deploy Site-<site> --outputs-file ${file}\``,
    ]);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new StackConfigError([
      `${KEY}: ${file} must map stack names to their outputs, as \`cdk deploy --outputs-file\` writes`,
    ]);
  return data as Record<string, Record<string, unknown>>;
}

/** The storage ids of the cluster's site: EFS file systems of its file tiers, the FSx network. */
export function awsStorageFromOutputs(file: string, platform: Platform, cluster: Cluster): AwsStorageConfig {
  const site = platform.sites.find((s) => s.id === cluster.site);
  if (site?.kind !== 'aws')
    throw new StackConfigError([
      `${KEY} is set, but cluster "${cluster.id}" is on site "${cluster.site}", which is not an AWS site; remove it`,
    ]);
  const stack = siteStackName(site.id);
  const outputs = readOutputs(file)[stack];
  if (!outputs || typeof outputs !== 'object')
    throw new StackConfigError([
      `${KEY}: ${file} has no outputs of stack ${stack}; deploy it with \`npx cdk deploy ${stack} --outputs-file ${file}\``,
    ]);
  const value = (k: string): string | undefined =>
    typeof outputs[k] === 'string' && outputs[k] ? (outputs[k] as string) : undefined;
  const fileTiers = platform.storageTiers.filter(
    (t) => t.kind === 'file' && t.sites.some((r) => r.site === site.id),
  );
  const lustre = platform.storageTiers.some(
    (t) => t.kind === 'parallel-fs' && t.sites.some((r) => r.site === site.id),
  );
  const missing: string[] = [];
  const need = (k: string): string => value(k) ?? (missing.push(`${stack}.${k}`), '');
  const efsFileSystemIds = Object.fromEntries(
    fileTiers.map((t) => [t.id, need(SITE_OUTPUT_KEYS.efsFileSystemId(t.id))]),
  );
  const fsx = lustre
    ? {
        subnetId: need(SITE_OUTPUT_KEYS.fsxSubnetId),
        securityGroupIds: [need(SITE_OUTPUT_KEYS.fsxSecurityGroupId)],
        ...(value(SITE_OUTPUT_KEYS.fsxKmsKeyId) ? { kmsKeyId: value(SITE_OUTPUT_KEYS.fsxKmsKeyId) } : {}),
      }
    : undefined;
  if (missing.length > 0)
    throw new StackConfigError([
      `${KEY}: ${file} lacks ${missing.join(', ')}; it is from an older or partial deployment: deploy ${stack} again with --outputs-file`,
    ]);
  const parsed = AwsStorageConfig.safeParse({
    ...(fileTiers.length > 0 ? { efsFileSystemIds } : {}),
    ...(fsx ? { fsx } : {}),
  });
  if (!parsed.success)
    throw new StackConfigError(
      parsed.error.issues.map((i) => `${KEY}: ${file}: ${i.path.join('.')}: ${i.message}`),
    );
  return parsed.data;
}
