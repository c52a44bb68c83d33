/**
 * Issue 13.11: the recommended aws-cdk-lib feature flags are set (so `cdk synth` stops warning
 * that they are not), except the ones that would change the templates, which are named with the
 * reason; and setting them leaves every template of the default platform as it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { loadPlatform } from '../../infra/model';
import { buildAwsApp, CDK_CONTEXT } from '../../stacks/aws/app';
import { LEFT_UNSET_FLAGS, RECOMMENDED_FLAGS } from '../../stacks/aws/feature-flags';
import { TEST_NOW } from '../support/dates';
import { tempDir } from '../support/tmp';

describe('feature flags of the CDK app', () => {
  const dir = tempDir('genesis-flags-');
  it('sets every recommended flag to its recommended value, or names it as left unset', () => {
    const missing = Object.entries(CURRENTLY_RECOMMENDED_FLAGS)
      .filter(
        ([flag, value]) =>
          !LEFT_UNSET_FLAGS.includes(flag) && JSON.stringify(CDK_CONTEXT[flag]) !== JSON.stringify(value),
      )
      .map(([flag]) => flag);
    expect(missing).toEqual([]);
    for (const flag of LEFT_UNSET_FLAGS) expect(CDK_CONTEXT[flag]).toBeUndefined();
  });

  it('leaves the templates of the default platform byte for byte as without them', () => {
    const platform = loadPlatform({ now: TEST_NOW }).platform;
    const templates = (outdir: string): Record<string, string> =>
      Object.fromEntries(
        fs
          .readdirSync(outdir)
          .filter((f) => f.endsWith('.template.json'))
          .sort()
          .map((f) => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]),
      );
    const withFlags = path.join(dir, 'with');
    buildAwsApp(platform, { outdir: withFlags }).app.synth();
    // The same app with each recommended flag at its default: the context of the CLI overrides
    // the App's, and a null flag counts as unset.
    const previous = process.env.CDK_CONTEXT_JSON;
    const defaults = Object.fromEntries(Object.keys(RECOMMENDED_FLAGS).map((f) => [f, null]));
    const without = path.join(dir, 'without');
    try {
      process.env.CDK_CONTEXT_JSON = JSON.stringify(defaults);
      const { app } = buildAwsApp(platform, { outdir: without });
      for (const flag of Object.keys(RECOMMENDED_FLAGS))
        expect(app.node.tryGetContext(flag) ?? undefined).toBeUndefined();
      app.synth();
    } finally {
      if (previous === undefined) delete process.env.CDK_CONTEXT_JSON;
      else process.env.CDK_CONTEXT_JSON = previous;
    }
    const a = templates(withFlags);
    expect(Object.keys(a).length).toBeGreaterThan(1);
    expect(a).toEqual(templates(without));
  });
});
