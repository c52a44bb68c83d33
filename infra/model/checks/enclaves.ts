/** Enclaves: their site, address plan, egress by classification, and who may reach them. */
import { classificationRank, isRestricted } from '../classification';
import { cidrsOverlap, parseCidr, type Ipv4Cidr } from '../primitives';
import type { ModelCheck } from './context';

export const enclaveRules: ModelCheck = {
  name: 'enclaves',
  description:
    'an enclave is on a known site, its CIDR overlaps no other on that site, a restricted enclave has no egress, and only enclaves of its classification or higher reach it',
  run(ctx) {
    const p = ctx.platform;
    const cidrsBySite = new Map<string, Array<{ cidr: Ipv4Cidr; i: number; text: string }>>();
    p.enclaves.forEach((e, i) => {
      ctx.ref(ctx.sites, e.site, ['enclaves', i, 'site'], 'site');
      const cidr = parseCidr(e.cidr);
      if (typeof cidr !== 'string') {
        const list = cidrsBySite.get(e.site) ?? [];
        for (const other of list) {
          if (cidrsOverlap(cidr, other.cidr)) {
            ctx.add(
              ['enclaves', i, 'cidr'],
              `${e.cidr} overlaps ${other.text} of enclave "${p.enclaves[other.i].id}" on site "${e.site}"`,
            );
          }
        }
        list.push({ cidr, i, text: e.cidr });
        cidrsBySite.set(e.site, list);
      }
      if (isRestricted(e.classification) && e.egress.mode !== 'none') {
        ctx.add(
          ['enclaves', i, 'egress', 'mode'],
          `a ${e.classification} enclave must have egress "none"; only public enclaves may reach the internet`,
        );
      }
      e.reachableFrom.forEach((from, j) => {
        const path = ['enclaves', i, 'reachableFrom', j];
        if (from === e.id) {
          ctx.add(path, 'an enclave need not list itself');
          return;
        }
        const source = ctx.ref(ctx.enclaves, from, path, 'enclave');
        if (source && classificationRank(source.classification) < classificationRank(e.classification)) {
          ctx.add(
            path,
            `${source.classification} enclave "${from}" may not reach ${e.classification} enclave "${e.id}": data would flow to a lower classification`,
          );
        }
      });
    });
  },
};
