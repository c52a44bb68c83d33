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
  for (const odd of [-0, Number.NaN, undefined, new Date(0), Object.create(null) as object]) {
    const objects = [{ ...base, data: { x: odd } }];
    expect(writtenDocuments(fileHeader('s', 'c', '1.34') + toYaml(objects), shown, objects)).toBeUndefined();
  }
  // a text whose documents do not line up with the objects
  expect(
    writtenDocuments(fileHeader('s', 'c', '1.34') + toYaml([base]), shown, [base, base]),
  ).toBeUndefined();
});
