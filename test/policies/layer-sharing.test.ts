/**
 * The access matrix judges a dataset's bucket and key layers once for the roles those layers
 * cannot tell apart (policies/analysis/access/layer-sharing.ts). The cells must be those of each
 * role evaluated alone: on the default output, and on hand edits that make a layer single one role
 * out, by its ARN or by a tag.
 */
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Cell } from '../../policies/analysis/access/cells';
import { layerSignature } from '../../policies/analysis/access/layer-sharing';
import { buildMatrix } from '../../policies/analysis/access/matrix';
import { rolePrincipal } from '../../policies/analysis/access/principals';
import type { Doc } from '../../policies/analysis/access/types';
import { loadArtifacts } from '../../policies/engine/load';
import { copyOfDefault, editJson, logicalId, NOW } from './support/default-output';

// Hand edits walk parsed, untyped JSON.
type Json = Record<string, any>;

const at = Date.parse(`${NOW}T00:00:00Z`);
const ARN = (name: string) => `arn:aws-us-gov:iam::111122223333:role/${name}`;
const SITE = 'Site-govcloud-west';
const DATASET = 'noaa-reanalysis';

/** The matrix of an output, with the layers shared and without. */
function both(dir: string): { shared: readonly Cell[]; alone: readonly Cell[] } {
  const matrix = (shareLayers: boolean) =>
    buildMatrix({ artifacts: loadArtifacts(dir) }, at, { shareLayers }).cells;
  return { shared: matrix(true), alone: matrix(false) };
}

const layerCell = (cells: readonly Cell[], role: string, side: 'bucket' | 'key') =>
  cells.find(
    (c) => c.principal === `role/${role}` && c.store.id === DATASET && c.side === side && c.verb === 'read',
  );

/** Edits the dataset's bucket policy in the site template. */
function editBucketPolicy(dir: string, edit: (doc: Json) => void): void {
  editJson(path.join(dir, 'aws', `${SITE}.template.json`), (t) => {
    const id = logicalId(t, 'AWS::S3::BucketPolicy', (r) =>
      JSON.stringify(r.Properties.Bucket).includes('NoaaReanalysis'),
    );
    edit(t.Resources[id].Properties.PolicyDocument);
  });
}

describe('bucket and key layers judged once for the roles they cannot tell apart', () => {
  it('gives the default output the cells of each role judged alone, sharing cells and decisions', async () => {
    const dir = await copyOfDefault();
    const layerCounts = { cells: 0, sharedCells: 0, decisions: 0, sharedDecisions: 0 };
    const matrix = (shareLayers: boolean) =>
      buildMatrix({ artifacts: loadArtifacts(dir) }, at, { shareLayers, layerCounts }).cells;
    const shared = matrix(true);
    expect(isDeepStrictEqual(shared, matrix(false))).toBe(true);
    // the sharing is at work: the members roles, which the layers treat alike, share their cells;
    // the data roles, whose grants end at different instants, share the decisions they have in common
    expect(layerCounts.sharedCells).toBeGreaterThan(0);
    expect(layerCounts.sharedDecisions).toBeGreaterThan(0);
  }, 120_000);

  it('keeps apart a role that a bucket policy names by its ARN', async () => {
    const dir = await copyOfDefault();
    editBucketPolicy(dir, (doc) => {
      const resource = doc.Statement.find((s: Json) => s.Sid === 'DenyReadWithoutGrant').Resource;
      doc.Statement.push({
        Sid: 'DenyOneRole',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:GetObject',
        Resource: resource,
        Condition: { ArnEquals: { 'aws:PrincipalArn': ARN('genesis-helix-bio-data') } },
      });
    });
    const { shared, alone } = both(dir);
    expect(isDeepStrictEqual(shared, alone)).toBe(true);
    const named = layerCell(shared, 'genesis-helix-bio-data', 'bucket');
    const other = layerCell(shared, 'genesis-midwest-univ-data', 'bucket');
    expect(named && other && isDeepStrictEqual(named.paths, other.paths)).toBe(false);
    const witnessed = [...(named?.paths.values() ?? [])].flat().flatMap((s) => s.witnesses);
    expect(witnessed.some((w) => w.sid === 'DenyOneRole')).toBe(true);
  }, 120_000);

  it('keeps apart a role given a grant tag by hand', async () => {
    const dir = await copyOfDefault();
    editJson(path.join(dir, 'aws', 'Tenant-midwest-univ.template.json'), (t) => {
      const id = logicalId(t, 'AWS::IAM::Role', (r) => r.Properties.RoleName === 'genesis-midwest-univ-data');
      const tags: Json[] = t.Resources[id].Properties.Tags;
      tags.push({ Key: `genesis:grant:${DATASET}`, Value: 'read' });
    });
    const { shared, alone } = both(dir);
    expect(isDeepStrictEqual(shared, alone)).toBe(true);
    const tagged = layerCell(shared, 'genesis-midwest-univ-data', 'bucket');
    const other = layerCell(shared, 'genesis-helix-bio-data', 'bucket');
    expect(tagged && other && isDeepStrictEqual(tagged.paths, other.paths)).toBe(false);
  }, 120_000);
});

describe('a caller’s signature for a layer', () => {
  const doc = (statements: Json[]): Doc => ({
    statements,
    witness: { file: 'aws/S.template.json', resource: 'aws:S/P', policy: 'PolicyDocument' },
  });
  const one = rolePrincipal(ARN('genesis-a-data'), '111122223333', new Map([['team', 'x']]));
  const two = rolePrincipal(ARN('genesis-b-data'), '111122223333', new Map([['team', 'x']]));
  const deny = (condition: Json, resource = 'arn:aws-us-gov:s3:::b/*') => ({
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:GetObject',
    Resource: resource,
    Condition: condition,
  });

  it('is the same for callers a pattern treats alike, and differs where the layer tells them apart', () => {
    const alike = [doc([deny({ ArnNotLike: { 'aws:PrincipalArn': ARN('genesis-*-data') } })])];
    expect(layerSignature(one, alike)).toBe(layerSignature(two, alike));
    const byArn = [doc([deny({ ArnEquals: { 'aws:PrincipalArn': ARN('genesis-a-data') } })])];
    expect(layerSignature(one, byArn)).not.toBe(layerSignature(two, byArn));
    const byPrincipal = [doc([{ ...deny({}), Principal: { AWS: ARN('genesis-a-data') } }])];
    expect(layerSignature(one, byPrincipal)).not.toBe(layerSignature(two, byPrincipal));
    const other = rolePrincipal(ARN('genesis-b-data'), '111122223333', new Map([['team', 'y']]));
    const byTag = [doc([deny({ StringEquals: { 'aws:PrincipalTag/team': 'x' } })])];
    expect(layerSignature(one, byTag)).toBe(layerSignature(two, byTag));
    expect(layerSignature(one, byTag)).not.toBe(layerSignature(other, byTag));
  });

  it('is not given for a layer that reads the caller otherwise', () => {
    const variable = [doc([deny({}, 'arn:aws-us-gov:s3:::b/${aws:PrincipalTag/team}/*')])];
    expect(layerSignature(one, variable)).toBeUndefined();
    const inCondition = [doc([deny({ StringEquals: { 's3:prefix': '${aws:PrincipalTag/team}' } })])];
    expect(layerSignature(one, inCondition)).toBeUndefined();
    const notABlock = [doc([deny({ StringEquals: 'x' })])];
    expect(layerSignature(one, notABlock)).toBeUndefined();
    expect(layerSignature(one, undefined)).toBeUndefined();
  });
});
