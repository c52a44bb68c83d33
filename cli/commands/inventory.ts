/** `genesis inventory`: what the platform has, from the validated spec. */
import { defaultNow, loadPlatform } from '../../infra/model';
import { inventory } from '../inventory';
import { inventoryCsv } from '../inventory/csv';
import { inventoryText } from '../inventory/text';
import { EXIT_OK, parseOptions, warn, type Io } from '../usage';
import { SPEC_OPTIONS } from './validate';

export const HELP = `genesis inventory [--json|--csv] [--spec FILE] [--tenants DIR] [--now YYYY-MM-DD]

Lists what the platform has, from the validated spec (the embedded default when --spec is not
given, with the partner tenant files of --tenants), as genesis validate loads it:
  - per site, cluster and node pool: GPUs (model, physical count at the guaranteed nodes, the
    count or minimum, and at the maximum), the sharing mode and the schedulable units it gives,
    CPU and memory per node and in total;
  - storage per tier and site; datasets per agency and classification;
  - tenants (kind, home enclave, agreement, GPU quota totals) and grants, active or expired on --now;
  - what each partner site contributes, and where each federated tenant queue dispatches, with
    the reason each excluded worker is left out.
  --json     one JSON object as every command prints it, with the inventory as its result
             (keys sorted, every list in a fixed order)
  --csv      one CSV table (RFC 4180, CRLF) with a "section" column; lists joined with ";"
  --now      the day grants and agreements are judged against (default: $GENESIS_NOW, else today, UTC)
Counts "a-b" run from the guaranteed to the maximum nodes. Exit codes: 0 listed, 2 invalid
input or usage.`;

export function run(args: string[], io: Io): number {
  const { values } = parseOptions(args, { ...SPEC_OPTIONS, csv: { type: 'boolean' } });
  const { platform, files, warnings, expiredGrants } = loadPlatform({
    spec: values.spec,
    tenantsDir: values.tenants,
    now: values.now,
  });
  for (const w of warnings) warn(io, w);
  const inv = inventory({ platform, now: values.now ?? defaultNow(), expiredGrants });
  io.result?.(inv);
  io.out(values.csv ? inventoryCsv(inv) : inventoryText(inv, files.length));
  return EXIT_OK;
}
