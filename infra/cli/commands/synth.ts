/** `genesis synth`: validate, then write every target's artifacts into one folder at once. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPlatform, type Platform } from '../../model';
import { writeDirAtomically } from '../../util/atomic-dir';
import { stableJson } from '../../util/stable-json';
import { EXIT_OK, parseOptions, type Io } from '../usage';
import { SPEC_OPTIONS } from './validate';

export const HELP = `genesis synth [--spec FILE] [--tenants DIR] [--now YYYY-MM-DD] [--out DIR]

Validates the spec, then writes into --out (default: dist/):
  platform.json   the normalised spec (defaults filled in, keys sorted)
The folder is replaced only when every step succeeds.`;

/** One synthesis step: writes its artifacts under the staging folder. */
export type SynthStep = (platform: Platform, staging: string, io: Io) => Promise<void> | void;

export const STEPS: ReadonlyArray<{ name: string; run: SynthStep }> = [
  {
    name: 'platform.json',
    run: (platform, staging) => fs.writeFileSync(path.join(staging, 'platform.json'), stableJson(platform)),
  },
];

export async function run(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, { ...SPEC_OPTIONS, out: { type: 'string' } });
  const { platform } = loadPlatform({ spec: values.spec, tenantsDir: values.tenants, now: values.now });
  const out = values.out ?? 'dist';
  await writeDirAtomically(out, async (staging) => {
    for (const step of STEPS) await step.run(platform, staging, io);
  });
  io.out(`synthesized ${platform.metadata.name} into ${out}/\n`);
  return EXIT_OK;
}
