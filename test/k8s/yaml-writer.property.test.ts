/**
 * The manifests' YAML writer (stacks/k8s/yaml-writer.ts) writes the bytes `yaml.stringify` writes,
 * on generated objects whose strings include those YAML 1.1 reads as something else; but it quotes
 * a `<<` key, which `yaml.stringify` writes plain (a merge key to a YAML 1.1 reader), and
 * double-quotes a multi-line string that starts indented, which `yaml.stringify` may write as a
 * block scalar that reads back as another string.
 */
import * as fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { writeYaml } from '../../stacks/k8s/yaml-writer';
import { TRICKY_STRINGS, yamlValue } from './yaml-arbitraries';

const yamlStringify = (o: unknown): string =>
  stringify(o, { version: '1.1', lineWidth: 0, minContentWidth: 0 });
/** Where the writer differs from yaml.stringify on purpose: a `<<` key, a multi-line string that starts indented. */
const differs = (v: unknown): boolean =>
  typeof v === 'string'
    ? v.includes('\n') && /^\n*[ \t]/.test(v)
    : v !== null &&
      typeof v === 'object' &&
      (Array.isArray(v)
        ? v.some(differs)
        : Object.keys(v).some((k) => k === '<<' || differs(k)) || Object.values(v).some(differs));

test('writes the bytes yaml.stringify writes (but for a << key and multi-line strings that start indented)', () => {
  fc.assert(
    fc.property(yamlValue, (value) => {
      fc.pre(!differs(value));
      expect(writeYaml(value)).toBe(yamlStringify(value));
    }),
    { numRuns: 1000 },
  );
});

test('every tricky string, as a key, a value and a sequence item, is written as yaml.stringify writes it', () => {
  for (const s of TRICKY_STRINGS.filter((t) => t !== '<<' && !differs(t))) {
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

test('every multi-line string of up to 6 spaces, tabs, newlines and letters reads back as written', () => {
  const alphabet = ['a', ' ', '\t', '\n'];
  let strings = [''];
  for (let n = 0; n < 6; n++)
    strings = [
      ...strings,
      ...strings.filter((s) => s.length === n).flatMap((s) => alphabet.map((c) => s + c)),
    ];
  for (const s of strings.filter((x) => x.includes('\n'))) {
    const o = { data: { x: s }, list: [s] };
    expect(parse(writeYaml(o), { version: '1.1' })).toStrictEqual(o);
  }
  // yaml.stringify's own writing of one of them reads back as other data
  expect(parse(yamlStringify({ x: ' \n' }), { version: '1.1' })).not.toStrictEqual({ x: ' \n' });
});
