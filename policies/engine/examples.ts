/**
 * Builds an in-memory artifact set from a rule's small example fragments, through the same shape
 * checks as files read from disk.
 */
import { resourceLines } from './json-lines';
import { guardPrimitives } from './primitive-guard';
import { asK8sObject, checkTemplateShape } from './load';
import type { ArtifactSet, ExampleArtifacts, K8sDocument, StackArtifact } from './types';

export const EXAMPLE_ACCOUNT = '111122223333';
export const EXAMPLE_REGION = 'us-gov-west-1';

export function exampleArtifacts(given: ExampleArtifacts): ArtifactSet {
  // as the loader does for files (primitive-guard.ts)
  const example = guardPrimitives(given);
  const stacks: StackArtifact[] = Object.entries(example.aws ?? {}).map(([stackName, template]) => {
    const text = JSON.stringify(template, null, 1);
    return {
      stackName,
      file: `aws/${stackName}.template.json`,
      template: checkTemplateShape(template, `aws/${stackName}.template.json`),
      bytes: Buffer.byteLength(text),
      account: EXAMPLE_ACCOUNT,
      region: EXAMPLE_REGION,
      resourceLines: resourceLines(text),
      constructPaths: new Map<string, string>(),
    };
  });
  const documents: K8sDocument[] = [];
  for (const [file, objects] of Object.entries(example.k8s ?? {})) {
    const [site = '', cluster = ''] = file.split('/');
    objects.forEach((object, i) =>
      documents.push({
        object: asK8sObject(object, `k8s/${file}`, i + 1),
        file: `k8s/${file}`,
        line: i + 1,
        site,
        cluster,
      }),
    );
  }
  return {
    aws: example.aws ? { stacks } : undefined,
    k8s: example.k8s ? { documents } : undefined,
    ...(example.intent !== undefined ? { intent: { file: 'platform.json', json: example.intent } } : {}),
  };
}
