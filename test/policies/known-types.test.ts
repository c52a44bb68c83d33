/** The reviewed allow-list of types and kinds: well-formed, a reason per entry, no duplicates. */
import * as fs from 'node:fs';
import { KNOWN_TYPES_FILE, parseKnownTypes } from '../../policies/analysis/known-types';

test('policies/known-types.yaml parses, with a reason for every entry', () => {
  const known = parseKnownTypes(fs.readFileSync(KNOWN_TYPES_FILE, 'utf8'));
  expect(known.cloudformation.length).toBeGreaterThan(40);
  expect(known.kubernetes.length).toBeGreaterThan(30);
  for (const e of [...known.cloudformation, ...known.kubernetes])
    expect(e.reason.length).toBeGreaterThanOrEqual(10);
});

test('an entry without a reason, or listed twice, is refused', () => {
  expect(() => parseKnownTypes('cloudformation:\n  - { type: AWS::S3::Bucket }\nkubernetes: []\n')).toThrow(
    /reason/,
  );
  const twice =
    'cloudformation:\n  - { type: AWS::S3::Bucket, reason: "judged by the S3 rules" }\n  - { type: AWS::S3::Bucket, reason: "judged by the S3 rules" }\nkubernetes: []\n';
  expect(() => parseKnownTypes(twice)).toThrow(/listed twice/);
});
