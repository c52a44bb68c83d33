/**
 * `genesis synth` hands the check the objects it has just written instead of parsing the files
 * back (`writtenDocuments`). That is sound only if the manifest writer's YAML reads back, with the
 * check's own parser, as exactly those objects at exactly those lines: generated objects hold it,
 * strings YAML 1.1 would read as something else included.
 */
import * as fc from 'fast-check';
import { parseK8sYaml, writtenDocuments } from '../../policies/engine/load';
import { fileHeader, toYaml } from '../../stacks/k8s/synth';
import { k8sObject } from './yaml-arbitraries';

test('the objects written read back from their YAML as the same documents, at the same lines', () => {
  fc.assert(
    fc.property(fc.array(k8sObject, { minLength: 1, maxLength: 4 }), (objects) => {
      const shown = 'k8s/site-a/cluster-a/tenant-x.yaml';
      const text = fileHeader('site-a', 'cluster-a', '1.34') + toYaml(objects);
      const written = writtenDocuments(text, shown, objects);
      expect(written).toBeDefined();
      expect(written).toStrictEqual(parseK8sYaml(text, shown));
    }),
    { numRuns: 400 },
  );
});

test('objects that are not plain JSON data are left to the parser', () => {
  const shown = 'k8s/s/c/f.yaml';
  const base = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
  const shared = { app: 'web' };
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  // what a writer writes otherwise than the rules would read it, or not at all
  const odd: unknown[] = [
    -0,
    Number.NaN,
    undefined,
    new Date(0),
    Object.create(null) as object,
    [, 'hole'], // eslint-disable-line no-sparse-arrays
    Object.assign(['a'], { named: 'b' }),
    Object.defineProperty({}, 'hidden', { value: true, enumerable: false }),
    Object.defineProperty({}, 'got', { get: () => true, enumerable: true }),
    { [Symbol('s')]: true },
    { a: shared, b: shared },
    cycle,
  ];
  for (const x of odd) {
    const objects = [{ ...base, data: { x } }];
    expect(writtenDocuments(fileHeader('s', 'c', '1.34') + '---\n{}\n', shown, objects)).toBeUndefined();
  }
  // a text whose documents do not line up with the objects
  expect(
    writtenDocuments(fileHeader('s', 'c', '1.34') + toYaml([base]), shown, [base, base]),
  ).toBeUndefined();
});
