/**
 * Entry point of `cdk synth` / `cdk deploy` (see cdk.json). Reads the same spec as `genesis synth`,
 * from CDK context first and the environment second:
 *
 * | Context (`-c key=value`) | Environment       | Meaning                                             |
 * |--------------------------|-------------------|-----------------------------------------------------|
 * | `spec`                   | `GENESIS_SPEC`    | platform spec file (default: the embedded platform) |
 * | `tenants`                | `GENESIS_TENANTS` | folder of partner tenant files                      |
 * | `now`                    | `GENESIS_NOW`     | YYYY-MM-DD grants and exceptions are judged against |
 * | `stacks`                 | `GENESIS_STACKS`  | build only these stacks (names or `*` patterns, comma separated) and what they depend on |
 *
 * An invalid spec prints its problems, one `file:line:column: path: message` a line, and the app
 * exits with code 2 (no stack trace, no assembly).
 *
 * Three validation plugins run over what CDK writes, and `cdk synth` / `cdk deploy` stop on an
 * error from any of them: the platform's AWS policy rules (with the reviewed exceptions of this
 * repository), and cdk-nag's AwsSolutions and NIST 800-53 rev5 packs (with the acknowledgements
 * recorded next to the constructs they concern). The two packs add about half a second.
 */
import * as fs from 'node:fs';
import { App } from 'aws-cdk-lib';
import { SpecError, formatProblem, loadPlatform } from '../../infra/model';
import { GenesisPolicyPlugin } from '../../policies/cdk/GenesisPolicyPlugin';
import { DEFAULT_EXCEPTIONS_FILE } from '../../policies';
import { buildAwsApp, withoutSourceMaps } from './app';
import { startValidatorThread } from './cfn-validation';
import { AwsPlacementError } from './placement';
import { parseStackList, StackSelectionError } from './select';

/** Exit code of an invalid spec (as `genesis`). */
const EXIT_INVALID_SPEC = 2;

/** A context value given on the command line or in cdk.json, else the environment variable. */
function setting(context: App, key: string, env: string): string | undefined {
  const value: unknown = context.node.tryGetContext(key);
  if (value !== undefined && value !== null && String(value) !== '') return String(value);
  return process.env[env] || undefined;
}

function main(): void {
  // An App only to read the context the CLI passed (CDK_CONTEXT_JSON or its overflow file);
  // it is never synthesized.
  const context = new App({ autoSynth: false });
  // The CloudFormation validator gets ready on the other core while the platform loads.
  startValidatorThread();
  const now = setting(context, 'now', 'GENESIS_NOW');
  let built: ReturnType<typeof buildAwsApp>;
  try {
    const { platform, warnings } = loadPlatform({
      spec: setting(context, 'spec', 'GENESIS_SPEC'),
      tenantsDir: setting(context, 'tenants', 'GENESIS_TENANTS'),
      now,
    });
    for (const w of warnings) process.stderr.write(`warning: ${formatProblem(w)}\n`);
    const exceptionsFile = fs.existsSync(DEFAULT_EXCEPTIONS_FILE) ? DEFAULT_EXCEPTIONS_FILE : undefined;
    const stacks = setting(context, 'stacks', 'GENESIS_STACKS');
    built = withoutSourceMaps(() =>
      buildAwsApp(platform, {
        policyValidation: [new GenesisPolicyPlugin({ exceptionsFile, now })],
        nagPacks: true,
        validatorThread: true,
        stacks: stacks ? parseStackList(stacks) : undefined,
      }),
    );
  } catch (e) {
    if (e instanceof SpecError) {
      for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
      process.exit(EXIT_INVALID_SPEC);
    }
    if (e instanceof StackSelectionError) {
      for (const p of e.problems) process.stderr.write(`stacks: ${p}\n`);
      process.exit(EXIT_INVALID_SPEC);
    }
    if (e instanceof AwsPlacementError) {
      for (const p of e.problems) process.stderr.write(`AWS target: ${formatProblem(p)}\n`);
      process.exit(EXIT_INVALID_SPEC);
    }
    throw e;
  }
  withoutSourceMaps(() => built.app.synth());
}

main();
