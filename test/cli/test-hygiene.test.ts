/** The test command itself: it cleans up after itself and says why a suite is skipped. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../support/tmp';

const ROOT = path.resolve(__dirname, '..', '..');
const JEST = require.resolve('jest/bin/jest');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { skippedLines } = require('../support/summary-reporter.js') as {
  skippedLines: (r: unknown, root: string) => string[];
};

const base = tempDir('genesis-hygiene-');
const fresh = (prefix: string): string => fs.mkdtempSync(path.join(base, prefix));

/** Runs the leaking fixture under jest with TMPDIR at `tmp` (jest's own cache kept elsewhere). */
function runFixture(tmp: string) {
  const cache = fresh('cache-');
  return spawnSync(
    process.execPath,
    [JEST, '--ci', '--cacheDirectory', cache, '--testMatch', '**/test/fixtures/jest/leaks-temp.fixture.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: tmp },
      encoding: 'utf8',
    },
  );
}

describe('npm test', () => {
  it('leaves no temporary folder behind, whatever the tests and CDK left in theirs', () => {
    const tmp = fresh('tmp-');
    const r = runFixture(tmp);
    expect(r.stdout + r.stderr).toMatch(/1 passed, 0 failed, 0 skipped/);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('removes the folder of a run that was killed, on the next run', () => {
    const tmp = fresh('tmp-');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    }).stdout;
    const stale = path.join(tmp, `genesis-jest-${dead}-abcdef`);
    const foreign = path.join(tmp, 'someone-elses');
    fs.mkdirSync(stale);
    fs.mkdirSync(foreign);
    const r = runFixture(tmp);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(tmp)).toEqual(['someone-elses']);
  });

  it('prints each skipped test with the reason in its title', () => {
    const results = {
      testResults: [
        {
          testFilePath: path.join(ROOT, 'test', 'conformance', 'conformance.test.ts'),
          testResults: [
            {
              status: 'pending',
              ancestorTitles: [],
              title: 'conformance: skipped because GENESIS_SCHEMAS_DIR is not set',
            },
            { status: 'passed', ancestorTitles: [], title: 'other' },
          ],
        },
      ],
    };
    expect(skippedLines(results, ROOT)).toEqual([
      'test/conformance/conformance.test.ts: conformance: skipped because GENESIS_SCHEMAS_DIR is not set',
    ]);
  });

  it('names the reason when the conformance suite is skipped', () => {
    const env = { ...process.env };
    delete env.GENESIS_SCHEMAS_DIR;
    delete env.CI;
    const r = spawnSync(process.execPath, [JEST, '--ci', 'test/conformance/conformance.test.ts'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
    expect(r.stdout).toContain(
      'skipped: test/conformance/conformance.test.ts: conformance: skipped because GENESIS_SCHEMAS_DIR is not set',
    );
  });
});
