/**
 * The vocabulary of the access analysis: principals, requests, policy documents with the place
 * each statement comes from (its witness), and three-valued verdicts.
 */
import type { Statement } from '../../engine/iam';

/** A three-valued verdict: what the evaluator cannot decide stays undecided, never passes. */
export type Tri = true | false | 'undecided';

export const and = (...xs: Tri[]): Tri =>
  xs.includes(false) ? false : xs.includes('undecided') ? 'undecided' : true;
export const or = (...xs: Tri[]): Tri =>
  xs.includes(true) ? true : xs.includes('undecided') ? 'undecided' : false;
export const not = (x: Tri): Tri => (x === 'undecided' ? x : !x);

/** Where a statement is written: file, resource key, policy and statement index. */
export interface Witness {
  readonly file: string;
  /** aws:<Stack>/<LogicalId> or k8s:<site>/<cluster>/<Kind>/<ns>/<name>. */
  readonly resource: string;
  /** The policy inside the resource (inline policy name, KeyPolicy, PolicyDocument, ...). */
  readonly policy: string;
  /** Index of the statement in the policy (or of the rule / subject on Kubernetes). */
  readonly index: number;
  readonly sid?: string;
  /** 1-based line of the resource in the file, where known. */
  readonly line?: number;
}

export const witnessText = (w: Witness): string =>
  `${w.file} ${w.resource} ${w.policy}[${w.index}]${w.sid ? ` (${w.sid})` : ''}`;

/** One resolved policy document and where it comes from. */
export interface Doc {
  readonly statements: readonly Statement[];
  readonly witness: Omit<Witness, 'index' | 'sid'>;
}

export type PrincipalKind = 'role' | 'root' | 'account-other' | 'external-account' | 'service' | 'anonymous';

/** Who makes a request. */
export interface Principal {
  readonly kind: PrincipalKind;
  /** Stable id shown in the matrix, e.g. role/genesis-aurora-ai-data, root:111122223333, anonymous. */
  readonly id: string;
  readonly arn?: string;
  readonly account?: string;
  /** For a service principal: its name (logging.s3.amazonaws.com). */
  readonly service?: string;
  readonly tags: ReadonlyMap<string, string>;
  /** Whether a principal ARN in a policy names this caller. */
  readonly matchesArn: (arn: string) => boolean;
  /** Whether an account id in a policy is this caller's account. */
  readonly matchesAccount: (account: string) => boolean;
}

/** Context keys (lower case) to their values. */
export interface Context {
  get(key: string): readonly string[] | undefined;
  has(key: string): boolean;
}

/** One request: who, what, on which resource, and the request context. */
export interface Request {
  readonly principal: Principal;
  readonly action: string;
  readonly resource: string;
  /** Context keys, lower case, each with its values (multi-valued keys hold several). */
  readonly context: Context;
  /**
   * Keys whose value the caller chooses (request parameters, TLS, MFA): an Allow condition on one
   * counts as satisfiable and a Deny condition as avoidable, i.e. "some request succeeds".
   */
  readonly free: (key: string) => boolean;
  /** Keys the evaluator models: one of these missing from `context` is absent; any other key is undecided. */
  readonly modelled: (key: string) => boolean;
}

/** The verdict on one statement for one request. */
export type StatementVerdict = { readonly applies: Tri; readonly reason?: string };

export interface Decision {
  readonly allowed: Tri;
  /** The statements that decide: the allows that grant, or the deny that blocks, or the undecided ones. */
  readonly witnesses: readonly Witness[];
  readonly reason?: string;
}
