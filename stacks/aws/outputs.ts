/**
 * Stack outputs of a site that other targets need after deployment: the ids AWS assigns to file
 * systems and their network, which no name can predict. The Kubernetes target takes them as its
 * AWS storage references; {@link storageRefsFromOutputs} turns `cloudformation describe-stacks`
 * outputs into that shape (defined here structurally, so the targets do not import each other).
 */
import { siteStackName } from '../../infra/contract/names';
import type { Platform } from '../../infra/model';
import { placeOnAws } from './placement';
import { SITE_OUTPUT_KEYS } from '../../infra/contract/site-outputs';

// The key names are a contract with the readers of the outputs (synth --aws-outputs, Pulumi).
export { SITE_OUTPUT_KEYS };

export interface SiteStorageRefs {
  readonly fsx?: {
    readonly subnetId: string;
    readonly securityGroupIds: readonly string[];
    readonly kmsKeyId?: string;
  };
  readonly efsFileSystemIds?: Readonly<Record<string, string>>;
}

/**
 * Storage references per AWS site id, from the deployed outputs of the `Site-<site>` stacks
 * (stack name -> output key -> value). Throws when an output the spec calls for is missing, so a
 * stale or partial deployment is not mistaken for a complete one.
 */
export function storageRefsFromOutputs(
  platform: Platform,
  outputs: Readonly<Record<string, Readonly<Record<string, string>>>>,
): Record<string, SiteStorageRefs> {
  const refs: Record<string, SiteStorageRefs> = {};
  const missing: string[] = [];
  for (const site of placeOnAws(platform).sites) {
    const stack = siteStackName(site.site.id);
    const out = outputs[stack] ?? {};
    const get = (key: string): string => {
      const value = out[key];
      if (!value) missing.push(`${stack}.${key}`);
      return value ?? '';
    };
    const efsFileSystemIds = Object.fromEntries(
      site.fileTiers.map((t) => [t.id, get(SITE_OUTPUT_KEYS.efsFileSystemId(t.id))]),
    );
    const fsx =
      site.lustreTiers.length > 0
        ? {
            subnetId: get(SITE_OUTPUT_KEYS.fsxSubnetId),
            securityGroupIds: [get(SITE_OUTPUT_KEYS.fsxSecurityGroupId)],
            kmsKeyId: get(SITE_OUTPUT_KEYS.fsxKmsKeyId),
          }
        : undefined;
    refs[site.site.id] = { ...(site.fileTiers.length ? { efsFileSystemIds } : {}), ...(fsx ? { fsx } : {}) };
  }
  if (missing.length > 0) throw new Error(`deployed outputs are missing: ${missing.join(', ')}`);
  return refs;
}
