/**
 * The commands the CDK CLI (cdk.json `app`) and the cdk8s CLI (cdk8s.yaml `app`) run, as
 * [command, args], so tests start the apps exactly as `cdk synth` and `cdk8s synth` do.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '..', '..');

const words = (command: string): [string, string[]] => {
  const [cmd, ...args] = command.trim().split(/\s+/);
  return [cmd, args];
};

/** cdk.json's app command (run from the project folder). */
export const cdkApp = (): [string, string[]] =>
  words((JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { app: string }).app);

/** cdk8s.yaml's app command (run from the project folder). */
export const cdk8sApp = (): [string, string[]] =>
  words((parse(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')) as { app: string }).app);
