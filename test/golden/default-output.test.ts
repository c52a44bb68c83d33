/**
 * The default platform's synthesized artifacts are byte-identical to the committed digest
 * (`default-output.sha256`, one line per file). A change of output is made on purpose: rerun with
 * `GENESIS_UPDATE_GOLDEN=1 npx jest test/golden` and commit the new digest with the change that
 * causes it, so the diff of the digest shows which artifacts a change touches.
 *
 * The report folder is left out: it is the check's verdict, covered by the policy tests.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultOutput } from '../policies/support/default-output';

const DIGEST = path.join(__dirname, 'default-output.sha256');

function digestLines(dir: string): string[] {
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk('');
  return files
    .filter((f) => !f.startsWith('report/'))
    .sort()
    .map(
      (f) =>
        `${createHash('sha256')
          .update(fs.readFileSync(path.join(dir, f)))
          .digest('hex')}  ${f}`,
    );
}

it('the default output matches the committed digest, file by file', async () => {
  const actual = digestLines(await defaultOutput());
  if (process.env.GENESIS_UPDATE_GOLDEN === '1') fs.writeFileSync(DIGEST, `${actual.join('\n')}\n`);
  const expected = fs.readFileSync(DIGEST, 'utf8').trim().split('\n');
  expect(actual).toEqual(expected);
  expect(actual.length).toBeGreaterThan(20);
});
