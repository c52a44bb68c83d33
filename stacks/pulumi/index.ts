/**
 * Entry point of the Genesis Pulumi project (Pulumi.yaml `main: stacks/pulumi`). Pulumi calls the
 * exported function and publishes what it returns as the stack's outputs.
 */
import * as path from 'node:path';
import { pulumiConfigSource } from './config-source';
import { runProgram, type StackOutputs } from './program';

/** The folder of Pulumi.yaml: relative paths in the stack config are resolved against it. */
const PROJECT_DIR = path.resolve(__dirname, '..', '..');

export = async (): Promise<StackOutputs> => runProgram(pulumiConfigSource(), PROJECT_DIR);
