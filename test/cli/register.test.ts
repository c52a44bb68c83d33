/**
 * cli/register.cjs, the require hook of every genesis process: TypeScript through tsx, the
 * dependencies' JavaScript through Node's own loader, and a dependency Node refuses to `require`
 * (an ES module package, before Node 20.19) still through tsx.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../support/tmp';

const ROOT = path.resolve(__dirname, '..', '..');
const HOOK = path.join(ROOT, 'cli', 'register.cjs');

function node(cwd: string, script: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, ['-r', HOOK, '-e', script], { cwd, encoding: 'utf8' });
}

test('TypeScript sources load, dependencies load through Node, and the hook names itself to child processes', () => {
  const r = node(
    ROOT,
    `const { Id } = require('./infra/model');
     const Module = require('node:module');
     require('yaml');
     const yamlFile = Object.keys(require.cache).find((f) => f.includes('node_modules/yaml/'));
     console.log(JSON.stringify({ id: Id.parse('abc'), hook: Module._extensions['.js'].name,
       named: process.env.GENESIS_REQUIRE_HOOK, yaml: Boolean(yamlFile) }));`,
  );
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({ id: 'abc', hook: 'loadJs', named: HOOK, yaml: true });
});

const dir = tempDir('genesis-register-');

test('an ES module package in node_modules loads (through Node where it can require ES modules, else tsx)', () => {
  const pkg = path.join(dir, 'node_modules', 'esm-only');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(
    path.join(pkg, 'package.json'),
    JSON.stringify({ name: 'esm-only', type: 'module', main: 'index.js' }),
  );
  fs.writeFileSync(path.join(pkg, 'index.js'), 'export const answer = 42;\n');
  const r = node(dir, `console.log(require('esm-only').answer)`);
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('42');
});
