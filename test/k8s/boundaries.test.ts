/**
 * Data flows one way: the Kubernetes target reads the model and the shared contract only; the
 * conformance check reads files only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sources(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

function imports(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

/** Repository-relative target of a relative import. */
const resolve = (file: string, spec: string): string => path.normalize(path.join(path.dirname(file), spec));

test('constructs/k8s imports only the model, constructs/common, itself and libraries', () => {
  const files = sources('constructs/k8s');
  expect(files.length).toBeGreaterThan(10);
  for (const file of files) {
    for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
      const target = resolve(file, spec);
      expect([target, file]).toEqual([expect.stringMatching(/^(infra\/model|constructs\/common|constructs\/k8s)(\/|$)/), file]);
    }
  }
});

test('policies/conformance imports no project code outside itself (it reads artifacts only)', () => {
  for (const file of sources('policies/conformance')) {
    for (const spec of imports(file)) {
      if (spec.startsWith('.')) expect(resolve(file, spec)).toMatch(/^policies\/conformance\//);
      else expect(['ajv', 'yaml', 'node:fs', 'node:path']).toContain(spec);
    }
  }
});
