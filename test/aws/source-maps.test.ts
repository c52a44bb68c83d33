/** The CDK app builds with source maps off (its discarded stack traces cost less) and restores them. */
import { withoutSourceMaps } from '../../stacks/aws/app';

const enabled = (): boolean | undefined => (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled;

test.each([true, false])(
  'off while building, as before afterwards (before: %s), also when the build throws',
  (before) => {
    process.setSourceMapsEnabled(before);
    expect(withoutSourceMaps(() => enabled())).toBe(false);
    expect(enabled()).toBe(before);
    expect(() =>
      withoutSourceMaps(() => {
        throw new Error('build failed');
      }),
    ).toThrow('build failed');
    expect(enabled()).toBe(before);
  },
);
