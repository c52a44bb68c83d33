/** Every package that ships with the project is under a permissive licence. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const PERMISSIVE = new Set([
  'MIT',
  'MIT-0',
  'ISC',
  'Apache-2.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  '0BSD',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'Python-2.0',
  'Unlicense',
]);

/**
 * Reviewed by hand: the lock file's licence field is not a plain SPDX id for these.
 * Each entry says what the package is actually under.
 */
const REVIEWED: Record<string, string> = {
  '@logdna/tail-file':
    'MIT (package.json says "SEE LICENSE IN LICENSE"; the LICENSE file is the MIT licence)',
  'spdx-exceptions': 'CC-BY-3.0: a data file of SPDX exception ids, no code; attribution only',
};

function permissive(expr: string): boolean {
  const e = expr.replace(/[()]/g, '').trim();
  if (e.includes(' OR ')) return e.split(' OR ').some((x) => permissive(x)); // we may choose any one
  if (e.includes(' AND ')) return e.split(' AND ').every((x) => permissive(x));
  return PERMISSIVE.has(e);
}

describe('dependency licences', () => {
  const lock = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package-lock.json'), 'utf8'));
  const shipped = Object.entries(lock.packages as Record<string, { dev?: boolean; license?: string }>).filter(
    ([k, v]) => k && !v.dev,
  );

  it('covers the production dependency tree', () => {
    expect(shipped.length).toBeGreaterThan(50);
  });

  it('has no copyleft or unknown licence outside the reviewed list', () => {
    const bad = shipped
      .map(([k, v]) => ({ name: k.replace(/^.*node_modules\//, ''), license: v.license ?? 'UNKNOWN' }))
      .filter((p) => !permissive(p.license) && !(p.name in REVIEWED));
    expect(bad).toEqual([]);
  });

  it('rejects a GPL-only expression', () => {
    expect(permissive('GPL-3.0-only')).toBe(false);
    expect(permissive('AGPL-3.0-or-later')).toBe(false);
    expect(permissive('MIT OR GPL-3.0-or-later')).toBe(true);
  });
});
