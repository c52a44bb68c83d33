/** Variants of the default spec, validated by the model like any spec. */
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_SPEC, parsePlatform, type Platform } from '../../infra/model';
import { defaultPlatform, NOW } from './support';

export function defaultSpecInput(): any {
  return parse(fs.readFileSync(DEFAULT_SPEC, 'utf8'));
}

export function variant(edit: (spec: any) => void): Platform {
  const spec = defaultSpecInput();
  edit(spec);
  return parsePlatform(spec, { now: NOW });
}

/** The cluster's enclave with an egress allow-list (built directly: the model keeps allow-lists to public enclaves). */
export function withAllowList(clusterId: string): Platform {
  const platform = defaultPlatform();
  const enclaveId = platform.clusters.find((c) => c.id === clusterId)!.enclave;
  return {
    ...platform,
    enclaves: platform.enclaves.map((e) =>
      e.id === enclaveId
        ? {
            ...e,
            egress: {
              mode: 'allow-list' as const,
              fqdns: ['pypi.org', '*.example.org'],
              cidrs: ['192.0.2.0/24'],
            },
          }
        : e,
    ),
  };
}
