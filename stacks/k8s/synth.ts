/**
 * Writes the Kubernetes manifests of every cluster: `<outDir>/<site>/<cluster>/<file>.yaml`, one
 * chart per file, multi-document YAML. Deterministic: same platform, same bytes (object order is
 * construction order, which follows sorted ids; no generated names, no timestamps).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { isJsonData } from '../../infra/util/json-data';
import { writePlainYaml, writeYaml } from './yaml-writer';
import type { Platform } from '../../infra/model';
import { clusterChartFiles } from '../../constructs/k8s/charts';
import { unresolvedStorageClasses, type K8sOptions } from '../../constructs/k8s/storage';
import { unresolvedEgressNames } from '../../constructs/k8s/tenant-egress';
import { unresolvedDatasetVolumes } from '../../constructs/k8s/tenant-volumes';

export interface K8sSynthResult {
  /** Files written, relative to outDir, sorted. */
  readonly files: readonly string[];
  /**
   * What could not be written because deploy-time ids (AWS file systems) were not given:
   * `storage-class <site>/<tier>` and `dataset-volume <cluster>/<tenant>/<dataset>`; and enclave
   * egress names the cluster's network cannot enforce per pod: `egress-fqdns <cluster>: <names>`.
   */
  readonly unresolved: readonly string[];
}

/** First line of every file: which cluster and Kubernetes version the objects are for. */
export const HEADER_PREFIX = '# genesis:';

export function fileHeader(site: string, cluster: string, kubernetesVersion: string): string {
  return `${HEADER_PREFIX} site=${site} cluster=${cluster} kubernetesVersion=${kubernetesVersion}\n`;
}

/**
 * Multi-document YAML of plain objects, without line folding. Written for YAML 1.1 readers
 * (kubectl, client-go): strings such as 2030-09-30, "yes" or "on" are quoted so they stay strings
 * (yaml-writer.ts).
 */
export function toYaml(objects: readonly unknown[], yamlOf?: Map<string, string>): string {
  return yamlDocuments(objects, yamlOf).text;
}

/**
 * toYaml, and whether every object is plain JSON data (`isJsonData`): each object is looked at
 * once, for the writer, the cache key and the caller (a walk over every object of the platform).
 */
export function yamlDocuments(
  objects: readonly unknown[],
  yamlOf?: Map<string, string>,
): { readonly text: string; readonly plain: boolean } {
  let plain = true;
  let text = '';
  for (const o of objects) {
    if (!isJsonData(o)) {
      plain = false;
      text += `---\n${writeYaml(o)}`;
      continue;
    }
    if (!yamlOf) {
      text += `---\n${writePlainYaml(o)}`;
      continue;
    }
    // plain JSON data (no -0, which JSON writes as 0; no object met twice, which YAML may write
    // as an alias): equal JSON text, equal YAML
    const key = JSON.stringify(o);
    let yaml = yamlOf.get(key);
    if (yaml === undefined) yamlOf.set(key, (yaml = writePlainYaml(o)));
    text += `---\n${yaml}`;
  }
  return { text, plain };
}

/** Which files to write; everything when omitted. */
export interface K8sSelection {
  /** Clusters whose files are written (by cluster and site). */
  readonly cluster?: (clusterId: string, siteId: string) => boolean;
  /** Tenants whose tenant-<id>.yaml files are written. */
  readonly tenant?: (tenantId: string) => boolean;
  /** Whether the files shared by all tenants of a cluster (cluster.yaml, gpu-operator.yaml) are written. @default true */
  readonly shared?: boolean;
}

/** For a caller that synthesizes twice and compares (`genesis tenant plan`). */
export interface K8sSynthHooks {
  /**
   * Receives each file's objects as written and the file's text (path relative to outDir), so the
   * YAML need not be read back; `plain`: every object is plain JSON data (`isJsonData`).
   */
  readonly received?: (file: string, objects: readonly unknown[], text: string, plain: boolean) => void;
  /**
   * Each object's YAML by its JSON text, shared by the syntheses that pass it: an object the
   * other side also holds is written without a second YAML serialization. The objects are JSON
   * data (cdk8s `toJson`), so equal JSON text means equal YAML.
   */
  readonly yamlOf?: Map<string, string>;
}

export function synthK8s(
  platform: Platform,
  outDir: string,
  options: K8sOptions = {},
  select: K8sSelection = {},
  hooks: K8sSynthHooks = {},
): K8sSynthResult {
  const files: string[] = [];
  const unresolved: string[] = [];
  const clusters = [...platform.clusters]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .filter((c) => !select.cluster || select.cluster(c.id, c.site));
  const shared = select.shared ?? true;
  for (const cluster of clusters) {
    const { ctx, files: charts } = clusterChartFiles(platform, cluster.id, options);
    const dir = path.join(outDir, ctx.site.id, cluster.id);
    fs.mkdirSync(dir, { recursive: true });
    for (const { file, tenant, build } of charts) {
      if (tenant === undefined ? !shared : select.tenant && !select.tenant(tenant)) continue;
      // one App per chart: cdk8s renders a chart after resolving the dependencies of its whole App
      const objects = build(new App({ outdir: outDir })).toJson();
      if (objects.length === 0) continue;
      const yaml = yamlDocuments(objects, hooks.yamlOf);
      const text = fileHeader(ctx.site.id, cluster.id, cluster.kubernetesVersion) + yaml.text;
      fs.writeFileSync(path.join(dir, file), text);
      files.push(path.posix.join(ctx.site.id, cluster.id, file));
      hooks.received?.(path.posix.join(ctx.site.id, cluster.id, file), objects, text, yaml.plain);
    }
    if (shared) {
      for (const s of unresolvedStorageClasses(ctx, options)) unresolved.push(`storage-class ${s}`);
      const names = unresolvedEgressNames(ctx);
      if (names.length > 0) unresolved.push(`egress-fqdns ${cluster.id}: ${names.join(' ')}`);
    }
    for (const t of ctx.tenants) {
      if (select.tenant && !select.tenant(t.id)) continue;
      for (const d of unresolvedDatasetVolumes(ctx, t.id, options))
        unresolved.push(`dataset-volume ${cluster.id}/${t.id}/${d}`);
    }
  }
  return { files: files.sort(), unresolved: [...new Set(unresolved)].sort() };
}
