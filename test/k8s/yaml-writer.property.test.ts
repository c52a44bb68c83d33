/**
 * The manifests' YAML writer (stacks/k8s/yaml-writer.ts) writes the bytes `yaml.stringify` writes,
 * on generated objects whose strings include those YAML 1.1 reads as something else; and it quotes
 * a `<<` key, which `yaml.stringify` writes plain (a merge key to a YAML 1.1 reader).
 */
import * as fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { writeYaml } from '../../stacks/k8s/yaml-writer';
import { TRICKY_STRINGS, yamlValue } from './yaml-arbitraries';

const yamlStringify = (o: unknown): string =>
  stringify(o, { version: '1.1', lineWidth: 0, minContentWidth: 0 });
const hasMergeKey = (v: unknown): boolean =>
  v !== null &&
  typeof v === 'object' &&
  (Array.isArray(v)
    ? v.some(hasMergeKey)
    : Object.keys(v).includes('<<') || Object.values(v).some(hasMergeKey));

test('writes the bytes yaml.stringify writes (objects without a << key)', () => {
  fc.assert(
    fc.property(yamlValue, (value) => {
      fc.pre(!hasMergeKey(value));
      expect(writeYaml(value)).toBe(yamlStringify(value));
    }),
    { numRuns: 1000 },
  );
});

test('every tricky string, as a key, a value and a sequence item, is written as yaml.stringify writes it', () => {
  for (const s of TRICKY_STRINGS.filter((t) => t !== '<<')) {
    const o = { [s]: s, list: [s, { [s]: [s] }], nested: { a: s } };
    expect(writeYaml(o)).toBe(yamlStringify(o));
  }
});

test('a << key is quoted, so that a YAML 1.1 reader reads back the data written', () => {
  const o = { '<<': { a: 1 }, b: [{ '<<': [] }] };
  expect(yamlStringify(o)).toContain('<<: ');
  expect(writeYaml(o)).toBe('"<<":\n  a: 1\nb:\n  - "<<": []\n');
  expect(parse(writeYaml(o), { version: '1.1' })).toStrictEqual(o);
  // the same when the object is written by yaml whole (a multi-line string elsewhere)
  const whole = { ...o, text: 'two\nlines' };
  expect(parse(writeYaml(whole), { version: '1.1' })).toStrictEqual(whole);
});
