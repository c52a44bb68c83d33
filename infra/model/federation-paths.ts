/**
 * The network path of each federation worker on another site than its manager: the manager's
 * cluster and enclave call the worker's API at one address and port of the worker's enclave, and
 * nothing else of it. Targets realise it (a VPN route, a security-group egress, a NetworkPolicy);
 * the analyses hold the artifacts to it. Linear in workers.
 */
import type { Platform } from './platform';

export interface FederationPath {
  readonly federation: string;
  readonly manager: string;
  readonly managerSite: string;
  readonly managerEnclave: string;
  readonly worker: string;
  readonly workerSite: string;
  readonly workerEnclave: string;
  /** The worker's API endpoint: an address of its enclave and a TCP port. */
  readonly address: string;
  readonly port: number;
  /** The public address of the worker site's IPsec gateway, where the manager connects through one. */
  readonly vpnPeer?: string;
}

/** Every declared path, by federation then worker; workers on the manager's site need none. */
export function federationPaths(platform: Platform): FederationPath[] {
  const clusters = new Map(platform.clusters.map((c) => [c.id, c]));
  const out: FederationPath[] = [];
  for (const f of [...(platform.federations ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const manager = clusters.get(f.manager);
    if (!manager) continue;
    for (const w of [...new Set(f.workers)].sort()) {
      const worker = clusters.get(w);
      if (!worker?.apiServer || worker.site === manager.site) continue;
      out.push({
        federation: f.id,
        manager: manager.id,
        managerSite: manager.site,
        managerEnclave: manager.enclave,
        worker: worker.id,
        workerSite: worker.site,
        workerEnclave: worker.enclave,
        address: worker.apiServer.address,
        port: worker.apiServer.port,
        ...(worker.apiServer.vpnPeer ? { vpnPeer: worker.apiServer.vpnPeer } : {}),
      });
    }
  }
  return out;
}
