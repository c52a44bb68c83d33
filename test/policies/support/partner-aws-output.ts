/**
 * The synthesized output of the partner-on-AWS variant of the default platform
 * (test/fixtures/partner-aws.ts), made once per test file by `genesis synth` in-process and
 * copied for each edit, as default-output.ts does for the default platform.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run as synth } from '../../../cli/commands/synth';
import { writePartnerAwsSpec } from '../../fixtures/partner-aws';
import { NOW } from './default-output';

let cached: Promise<string> | undefined;

export function partnerAwsOutput(): Promise<string> {
  cached ??= (async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-partner-aws-'));
    const out = path.join(root, 'dist');
    let log = '';
    const code = await synth(['--spec', writePartnerAwsSpec(root), '--out', out, '--now', NOW], {
      out: (t) => (log += t),
      err: (t) => (log += t),
    });
    // The variant passes every rule: a tamper test's finding is the edit's, never the baseline's.
    if (
      code !== 0 ||
      !fs.existsSync(path.join(out, 'aws', 'manifest.json')) ||
      !fs.existsSync(path.join(out, 'k8s'))
    )
      throw new Error(`genesis synth of the partner-on-AWS variant did not pass (exit ${code}):\n${log}`);
    fs.rmSync(path.join(out, 'report'), { recursive: true, force: true });
    return out;
  })();
  return cached;
}

/** A fresh copy of the variant's output to edit by hand. */
export async function copyOfPartnerAws(): Promise<string> {
  const dest = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'genesis-tamper-')), 'dist');
  fs.cpSync(await partnerAwsOutput(), dest, { recursive: true });
  return dest;
}
