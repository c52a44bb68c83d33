/**
 * The federation paths platform.json declares: for each worker of a federation on another site
 * than its manager, the manager's cluster and enclave, the worker's enclave, and the one endpoint
 * (address and TCP port) of the worker's API the manager may reach. Nothing else of a worker's
 * enclave is declared. Read defensively from the artifact, never from the model.
 */
import { asRecord as rec, records as list, strings as strs } from '../../../infra/util/records';
import { CidrSet } from './cidr';

export interface DeclaredPath {
  readonly federation: string;
  readonly manager: string;
  readonly managerEnclave: string;
  readonly worker: string;
  readonly workerEnclave: string;
  readonly address: string;
  /** The endpoint's address as a set (one /32). */
  readonly endpoint: CidrSet;
  readonly port: number;
}

export function readDeclaredPaths(json: Record<string, unknown>): {
  paths: DeclaredPath[];
  problems: string[];
} {
  const clusters = new Map(list(json.clusters).map((c) => [String(rec(c).id), rec(c)]));
  const paths: DeclaredPath[] = [];
  const problems: string[] = [];
  for (const f of list(json.federations)) {
    const manager = clusters.get(String(rec(f).manager));
    if (!manager) continue;
    for (const w of [...new Set(strs(rec(f).workers))].sort()) {
      const worker = clusters.get(w);
      if (!worker || worker.site === manager.site || worker.apiServer === undefined) continue;
      const api = rec(worker.apiServer);
      const endpoint = CidrSet.tryOf(`${String(api.address)}/32`);
      const port = Number(api.port ?? 6443);
      if (!endpoint || !Number.isInteger(port) || port < 1 || port > 65535) {
        problems.push(`federation ${String(rec(f).id)}: worker ${w} declares no usable apiServer`);
        continue;
      }
      paths.push({
        federation: String(rec(f).id),
        manager: String(manager.id),
        managerEnclave: String(manager.enclave),
        worker: w,
        workerEnclave: String(worker.enclave),
        address: String(api.address),
        endpoint,
        port,
      });
    }
  }
  paths.sort((a, b) => (a.federation + a.worker < b.federation + b.worker ? -1 : 1));
  return { paths, problems };
}
