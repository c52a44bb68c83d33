/**
 * Entry point of `cdk synth` / `cdk deploy` (see cdk.json). Reads the same spec as `genesis synth`:
 * GENESIS_SPEC (default: the embedded platform), GENESIS_TENANTS (folder of partner tenant files)
 * and GENESIS_NOW (the date grants and exceptions are judged against; today by default).
 *
 * The platform's AWS policy rules run over the templates CDK writes, so `cdk synth` and
 * `cdk deploy` stop on an error finding, with the reviewed exceptions of this repository.
 */
import * as fs from 'node:fs';
import { loadPlatform } from '../../infra/model';
import { GenesisPolicyPlugin } from '../../policies/cdk/GenesisPolicyPlugin';
import { DEFAULT_EXCEPTIONS_FILE } from '../../policies';
import { buildAwsApp } from './app';

const { platform } = loadPlatform({
  spec: process.env.GENESIS_SPEC || undefined,
  tenantsDir: process.env.GENESIS_TENANTS || undefined,
  now: process.env.GENESIS_NOW || undefined,
});

const now = process.env.GENESIS_NOW || undefined;
const exceptionsFile = fs.existsSync(DEFAULT_EXCEPTIONS_FILE) ? DEFAULT_EXCEPTIONS_FILE : undefined;
buildAwsApp(platform, { policyValidation: [new GenesisPolicyPlugin({ exceptionsFile, now })] }).app.synth();
