/**
 * synthK8s's hooks for a caller that synthesizes two platforms and compares them (`genesis tenant
 * plan`): a YAML cache shared by both syntheses writes the same bytes as no cache, and the objects
 * handed to `received` are those the files hold.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Platform } from '../../infra/model';
import { synthK8s, toYaml, yamlDocuments } from '../../stacks/k8s/synth';
import { writeYaml } from '../../stacks/k8s/yaml-writer';
import { defaultPlatform, readTree, tempDir } from './support';

/** The default without its first tenant and that tenant's grants: most objects shared, some not. */
function withoutFirstTenant(p: Platform): Platform {
  const gone = p.tenants[0].id;
  return { ...p, tenants: p.tenants.slice(1), grants: p.grants.filter((g) => g.tenant !== gone) };
}

test('a YAML cache shared by two syntheses writes the bytes each writes without it', () => {
  const full = defaultPlatform();
  const fewer = withoutFirstTenant(full);
  const yamlOf = new Map<string, string>();
  const work = tempDir('k8s-hooks');
  const sizes: number[] = [];
  for (const [name, platform] of [
    ['full', full],
    ['fewer', fewer],
  ] as const) {
    synthK8s(platform, path.join(work, `${name}-plain`));
    synthK8s(platform, path.join(work, `${name}-cached`), {}, {}, { yamlOf });
    sizes.push(yamlOf.size);
    const plain = readTree(path.join(work, `${name}-plain`));
    const cached = readTree(path.join(work, `${name}-cached`));
    expect([...cached.keys()]).toEqual([...plain.keys()]);
    for (const [file, text] of plain) expect(cached.get(file)).toBe(text);
  }
  // The second synthesis took most objects from the cache, and serialized the ones that differ.
  expect(sizes[1]).toBeGreaterThan(sizes[0]);
  expect(sizes[1] - sizes[0]).toBeLessThan(sizes[0] / 4);
});

test('received hands each written file its objects, as the YAML reads back', () => {
  const work = tempDir('k8s-received');
  const received = new Map<string, readonly unknown[]>();
  const plain = new Map<string, boolean>();
  const { files } = synthK8s(
    defaultPlatform(),
    work,
    {},
    {},
    {
      received: (f, o, _text, isPlain) => {
        received.set(f, o);
        plain.set(f, isPlain);
      },
    },
  );
  expect([...received.keys()].sort()).toEqual([...files]);
  // what cdk8s renders is plain JSON data, and said so (the policy check then takes the objects as they are)
  expect([...plain.values()].every((p) => p)).toBe(true);
  for (const file of files) {
    const text = fs.readFileSync(path.join(work, file), 'utf8');
    const read = parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS() as unknown);
    expect(received.get(file)).toStrictEqual(read);
  }
});

test('the YAML cache never gives an object the text of another that JSON writes alike (-0 and 0)', () => {
  const yamlOf = new Map<string, string>();
  const objects = [{ n: 0 }, { n: -0 }, { at: new Date(0) }, { at: '1970-01-01T00:00:00.000Z' }];
  expect(toYaml(objects, yamlOf)).toBe(toYaml(objects));
  expect(toYaml([...objects].reverse(), yamlOf)).toBe(toYaml([...objects].reverse()));
});

test('the YAML cache never gives an object the text of one JSON writes alike but YAML does not (a shared object)', () => {
  const yamlOf = new Map<string, string>();
  const labels = { app: 'web' };
  const twice = { a: labels, b: labels };
  const copies = { a: { app: 'web' }, b: { app: 'web' } };
  expect(toYaml([copies, twice], yamlOf)).toBe(toYaml([copies, twice]));
  expect(toYaml([twice, copies], yamlOf)).toBe(toYaml([twice, copies]));
});

test('the writer says which files hold only plain JSON data (an object with a getter is not)', () => {
  const withGetter = Object.defineProperty({}, 'name', { get: () => 'x', enumerable: true });
  expect(yamlDocuments([{ kind: 'A' }, { kind: 'B' }]).plain).toBe(true);
  const mixed = yamlDocuments([{ kind: 'A' }, withGetter]);
  expect(mixed.plain).toBe(false);
  expect(mixed.text).toBe(`---\n${writeYaml({ kind: 'A' })}---\n${writeYaml(withGetter)}`);
});
