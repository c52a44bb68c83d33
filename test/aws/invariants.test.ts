/**
 * Properties every template of the default platform keeps, whatever resource they are on: they
 * guard changes no specific test foresaw.
 */
import { synthDefault, type Synthesized } from './synth';

let s: Synthesized;
beforeAll(() => {
  s = synthDefault();
});

/** Every policy document in a template, with where it sits. */
function policyDocuments(template: any): Array<{ where: string; doc: any }> {
  const out: Array<{ where: string; doc: any }> = [];
  const visit = (value: any, where: string): void => {
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${where}[${i}]`));
    else if (value && typeof value === 'object') {
      if (
        Array.isArray(value.Statement) &&
        (value.Version === '2012-10-17' || value.Statement.every((st: any) => st.Effect))
      )
        out.push({ where, doc: value });
      for (const [k, v] of Object.entries(value)) visit(v, `${where}.${k}`);
    }
  };
  for (const [id, r] of Object.entries<any>(template.Resources)) visit(r.Properties, id);
  return out;
}

const anyone = (principal: any): boolean =>
  principal === '*' ||
  principal?.AWS === '*' ||
  (Array.isArray(principal?.AWS) && principal.AWS.includes('*'));

describe('every policy of every stack', () => {
  it('finds the policies it checks', () => {
    const count = s.assembly.stacks.reduce((n, st) => n + policyDocuments(st.template).length, 0);
    expect(count).toBeGreaterThan(40);
  });

  it('never allows anyone without a condition, except reading ECR image layers', () => {
    // ECR serves image layers from its own bucket through URLs it signs itself, so the requester
    // is not a principal of this account and no condition on the principal can be set.
    const ecrLayers = /^arn:aws[-a-z]*:s3:::prod-[a-z0-9-]+-starport-layer-bucket\/\*$/;
    for (const st of s.assembly.stacks) {
      for (const { where, doc } of policyDocuments(st.template)) {
        for (const statement of doc.Statement) {
          if (statement.Effect !== 'Allow' || !anyone(statement.Principal) || statement.Condition) continue;
          expect({
            where: `${st.stackName}/${where}`,
            action: statement.Action,
            resource: statement.Resource,
          }).toEqual({
            where: `${st.stackName}/${where}`,
            action: 's3:GetObject',
            resource: expect.stringMatching(ecrLayers),
          });
        }
      }
    }
  });

  it('never allows every action on every resource without a condition', () => {
    for (const st of s.assembly.stacks) {
      for (const { where, doc } of policyDocuments(st.template)) {
        for (const statement of doc.Statement) {
          const actions = [statement.Action].flat();
          const resources = [statement.Resource].flat();
          if (
            statement.Effect !== 'Allow' ||
            !actions.some((a: string) => a === '*' || a.endsWith(':*')) ||
            !resources.includes('*')
          )
            continue;
          // The key policies' account-root statement is how IAM in the account administers a key.
          const accountRoot =
            typeof statement.Principal?.AWS === 'string' &&
            /^arn:[^:]+:iam::\d{12}:root$/.test(statement.Principal.AWS) &&
            actions.includes('kms:*');
          if (!accountRoot)
            expect({ where: `${st.stackName}/${where}`, condition: statement.Condition }).toEqual({
              where: `${st.stackName}/${where}`,
              condition: expect.anything(),
            });
        }
      }
    }
  });

  it('grants no principal of another account', () => {
    for (const st of s.assembly.stacks) {
      const accounts = JSON.stringify(st.template).match(/arn:aws[-a-z]*:iam::(\d{12}):/g) ?? [];
      for (const a of accounts) expect(a).toContain('111122223333');
    }
  });
});

describe('every stateful resource', () => {
  const STATEFUL = [
    'AWS::S3::Bucket',
    'AWS::KMS::Key',
    'AWS::EFS::FileSystem',
    'AWS::Logs::LogGroup',
    'AWS::Backup::BackupVault',
  ];

  it('is kept when its stack is deleted or it is replaced', () => {
    let seen = 0;
    for (const st of s.assembly.stacks) {
      for (const [id, r] of Object.entries<any>(st.template.Resources)) {
        if (!STATEFUL.includes(r.Type)) continue;
        seen++;
        expect({ id, deletion: r.DeletionPolicy, replace: r.UpdateReplacePolicy }).toEqual({
          id,
          deletion: 'Retain',
          replace: 'Retain',
        });
      }
    }
    expect(seen).toBeGreaterThan(10);
  });
});

describe('every resource that takes tags', () => {
  it('names the site it belongs to', () => {
    let seen = 0;
    for (const st of s.assembly.stacks) {
      for (const [id, r] of Object.entries<any>(st.template.Resources)) {
        const tags = r.Properties?.Tags;
        if (!Array.isArray(tags)) continue;
        seen++;
        const site = tags.find((x: any) => (x.Key ?? x.key) === 'genesis:site');
        expect({ id, site: site?.Value ?? site?.value }).toEqual({ id, site: 'govcloud-west' });
      }
    }
    expect(seen).toBeGreaterThan(100);
  });
});
