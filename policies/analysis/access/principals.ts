/** The kinds of caller the analysis asks about, and the request context each brings. */
import type { Context, Principal, Request } from './types';

const roleName = (arn: string): string => arn.replace(/^arn:[^:]*:iam::[^:]*:role\/(?:.*\/)?/, '');

/** An IAM role of the assembly. */
export function rolePrincipal(
  arn: string,
  account: string,
  tags: ReadonlyMap<string, string> = new Map(),
): Principal {
  return {
    kind: 'role',
    id: `role/${roleName(arn)}`,
    arn,
    account,
    tags,
    matchesArn: (a) => a === arn,
    matchesAccount: (a) => a === account,
  };
}

/** The account's root user: every identity permission, no boundary. */
export function rootPrincipal(account: string, partition: string): Principal {
  const arn = `arn:${partition}:iam::${account}:root`;
  return {
    kind: 'root',
    id: `root:${account}`,
    arn,
    account,
    tags: new Map(),
    matchesArn: (a) => a === arn,
    matchesAccount: (a) => a === account,
  };
}

/**
 * Any principal of the account that the artifacts do not declare (an administrator's user or
 * role): its identity policies are unknown, so they may allow anything. Only resource-side
 * policies keep it out.
 */
export function otherPrincipal(account: string, partition: string, declared: ReadonlySet<string>): Principal {
  const arn = `arn:${partition}:iam::${account}:role/principal-outside-the-assembly`;
  return {
    kind: 'account-other',
    id: `other-principals:${account}`,
    arn,
    account,
    tags: new Map(),
    matchesArn: (a) => a.includes(`::${account}:`) && !declared.has(a) && !a.endsWith(':root'),
    matchesAccount: (a) => a === account,
  };
}

/** Any principal of any account that is not the platform's. */
export function externalPrincipal(platformAccounts: ReadonlySet<string>, partition: string): Principal {
  const account = '000000000000';
  const arn = `arn:${partition}:iam::${account}:role/external`;
  const foreign = (a: string) => !platformAccounts.has(a) && !a.includes('{{');
  return {
    kind: 'external-account',
    id: 'other-accounts',
    arn,
    account,
    tags: new Map(),
    matchesArn: (a) => {
      const acct = /^arn:[^:]*:(?:iam|sts)::([^:]+):/.exec(a)?.[1];
      return acct !== undefined && foreign(acct);
    },
    matchesAccount: foreign,
  };
}

export const anonymousPrincipal = (): Principal => ({
  kind: 'anonymous',
  id: 'anonymous',
  tags: new Map(),
  matchesArn: () => false,
  matchesAccount: () => false,
});

export const servicePrincipal = (service: string): Principal => ({
  kind: 'service',
  id: `service:${service}`,
  service,
  tags: new Map(),
  matchesArn: () => false,
  matchesAccount: () => false,
});

/**
 * Keys whose value the caller picks in its request: request parameters and headers, TLS, MFA,
 * request tags. The analysis asks whether *some* request succeeds.
 */
const FREE =
  /^(aws:securetransport|s3:tlsversion|aws:multifactorauthpresent|aws:multifactorauthage|aws:requesttag\/.*|aws:tagkeys|s3:x-amz-.*|s3:prefix|s3:delimiter|s3:max-keys|s3:versionid|s3:existingobjecttag\/.*|s3:requestobjecttag.*|s3:objectlock.*|s3:signatureversion|s3:signatureage|s3:authtype|aws:useragent|aws:referer|aws:sourceip|aws:requestedregion|kms:encryptionalgorithm|kms:grantoperations|kms:granteeprincipal|kms:retiringprincipal|kms:grantconstraint.*|kms:grantisforawsresource)$/;

/** Keys the analysis models: when one is missing from a request's context, it is absent there. */
const MODELLED =
  /^(aws:currenttime|aws:epochtime|aws:principalarn|aws:principalaccount|aws:principaltag\/.*|aws:principaltype|aws:principalisawsservice|aws:principalservicename|aws:principalorgid|aws:principalorgpaths|aws:sourcevpce|aws:sourcevpc|aws:vpcsourceip|aws:sourceaccount|aws:sourcearn|aws:sourceowner|aws:resourcetag\/.*|aws:resourceaccount|aws:resourceorgid|s3:resourceaccount|aws:calledvia|aws:calledviafirst|aws:calledvialast|aws:viaawsservice|kms:viaservice|kms:calleraccount|kms:resourcealiases|kms:encryptioncontext:.*|kms:encryptioncontextkeys|aws:userid|aws:username|elasticfilesystem:accessedviamounttarget|elasticfilesystem:accesspointarn)$/;

const freeKeys = new Map<string, boolean>();
const modelledKeys = new Map<string, boolean>();

/** Whether the caller picks the key's value (remembered per key: asked for every condition). */
export const isFreeKey = (key: string): boolean => {
  let v = freeKeys.get(key);
  if (v === undefined) freeKeys.set(key, (v = FREE.test(key)));
  return v;
};
export const isModelledKey = (key: string): boolean => {
  let v = modelledKeys.get(key);
  if (v === undefined) modelledKeys.set(key, (v = MODELLED.test(key) || FREE.test(key)));
  return v;
};

/** The context keys that come with the caller. */
export function principalContext(p: Principal): Map<string, string[]> {
  const c = new Map<string, string[]>();
  if (p.kind === 'anonymous') {
    c.set('aws:principalisawsservice', ['false']);
    return c;
  }
  if (p.kind === 'service') {
    c.set('aws:principalisawsservice', ['true']);
    if (p.service) c.set('aws:principalservicename', [p.service]);
    return c;
  }
  c.set('aws:principalisawsservice', ['false']);
  if (p.arn) c.set('aws:principalarn', [p.arn]);
  if (p.account) c.set('aws:principalaccount', [p.account]);
  c.set('aws:principaltype', [p.kind === 'root' ? 'Account' : 'AssumedRole']);
  for (const [k, v] of p.tags) c.set(`aws:principaltag/${k.toLowerCase()}`, [v]);
  if (p.kind === 'role' || p.kind === 'account-other' || p.kind === 'external-account')
    c.set('aws:userid', [`AROA${p.id.toUpperCase().replace(/[^A-Z0-9]/g, '')}:session`]);
  return c;
}

const contexts = new WeakMap<Principal, Map<string, string[]>>();

/** The caller's keys under the request's own (a class: the matrix builds thousands of these). */
class LayeredContext implements Context {
  constructor(
    private readonly own: Keys,
    private readonly base: Keys,
  ) {}
  get(k: string): readonly string[] | undefined {
    return this.own.get(k) ?? this.base.get(k);
  }
  has(k: string): boolean {
    return this.own.has(k) || this.base.has(k);
  }
}

/** Request keys as a context holds them: lower case, each with its values. */
export type Keys = ReadonlyMap<string, readonly string[]>;

/** `extra` keys in context form (build once, for requests that share them). */
export function keysOf(extra: Record<string, string | string[]>): Keys {
  const own = new Map<string, string[]>();
  for (const k in extra) {
    const v = extra[k];
    own.set(k.toLowerCase(), Array.isArray(v) ? v : [v]);
  }
  return own;
}

/** The request context of a caller plus `extra` keys (which override the caller's). */
export function contextOf(principal: Principal, extra: Record<string, string | string[]> | Keys): Context {
  let base = contexts.get(principal);
  if (!base) contexts.set(principal, (base = principalContext(principal)));
  return new LayeredContext(
    extra instanceof Map ? extra : keysOf(extra as Record<string, string | string[]>),
    base,
  );
}

class Req implements Request {
  constructor(
    readonly principal: Principal,
    readonly action: string,
    readonly resource: string,
    readonly context: Context,
    private readonly chosen: (k: string) => boolean,
  ) {}
  free(k: string): boolean {
    return !this.context.has(k) && this.chosen(k);
  }
  modelled(k: string): boolean {
    return isModelledKey(k);
  }
}

/** A request built from its parts; `extra` keys override the principal's. */
export function request(
  principal: Principal,
  action: string,
  resource: string,
  extra: Record<string, string | string[]> | Keys = {},
  free: (k: string) => boolean = isFreeKey,
): Request {
  return new Req(principal, action, resource, contextOf(principal, extra), free);
}
