/** Synthesizes the default platform's AWS app (once per test file that calls it). */
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { loadPlatform, type Platform } from '../../infra/model';
import { buildAwsApp, type AwsApp } from '../../stacks/aws/app';
import { TEST_NOW } from '../support/dates';

export const NOW = TEST_NOW;

export interface Synthesized {
  readonly platform: Platform;
  readonly aws: AwsApp;
  readonly assembly: CloudAssembly;
  /** Template of a stack by stack name. */
  template(stackName: string): Template;
}

export function synthDefault(platform: Platform = loadPlatform({ now: NOW }).platform): Synthesized {
  const aws = buildAwsApp(platform);
  const assembly = aws.app.synth();
  const templates = new Map<string, Template>();
  return {
    platform,
    aws,
    assembly,
    template(stackName) {
      let t = templates.get(stackName);
      if (!t) {
        t = Template.fromJSON(assembly.getStackByName(stackName).template);
        templates.set(stackName, t);
      }
      return t;
    },
  };
}

/** Resources of one type, by logical id. */
export function resourcesOf(
  template: Template,
  type: string,
): Record<string, { Properties: any; DependsOn?: string[] }> {
  return template.findResources(type) as Record<string, { Properties: any; DependsOn?: string[] }>;
}
