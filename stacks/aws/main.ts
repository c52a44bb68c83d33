/**
 * Entry point of `cdk synth` / `cdk deploy` (see cdk.json). Reads the same spec as `genesis synth`:
 * GENESIS_SPEC (default: the embedded platform), GENESIS_TENANTS (folder of partner tenant files)
 * and GENESIS_NOW (the date grants are judged against; today by default).
 */
import { loadPlatform } from '../../infra/model';
import { buildAwsApp } from './app';

const { platform } = loadPlatform({
  spec: process.env.GENESIS_SPEC || undefined,
  tenantsDir: process.env.GENESIS_TENANTS || undefined,
  now: process.env.GENESIS_NOW || undefined,
});
buildAwsApp(platform).app.synth();
