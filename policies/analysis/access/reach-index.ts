/**
 * Which data stores a role may reach, indexed once per model: a store whose bucket policy lets in
 * some principal broadly (`*`, an account, a root) or names the role, and the stores whose bucket
 * names appear in a Resource of the role's S3 allows (every store for a wildcard). Asking this of
 * every role and store pair scanned every policy per pair, which grew with tenants x tenants; the
 * index finds each role's stores by reading each policy once.
 */
import { asArray } from '../../engine/cfn/template';
import type { Statement } from '../../engine/iam';
import type { AwsModel, AwsRole, Store } from './aws-model';
import { actionMatches } from './statement';
import type { Doc } from './types';

const S3_ACTIONS = ['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:DeleteObject'];

interface Node<T> {
  readonly next: Map<number, Node<T>>;
  readonly values: T[];
}

/** Words to find inside texts: a character trie, so a text costs its length, not the number of words. */
export class Substrings<T> {
  private readonly root: Node<T> = { next: new Map(), values: [] };

  add(word: string, value: T): void {
    let node = this.root;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      let n = node.next.get(c);
      if (!n) node.next.set(c, (n = { next: new Map(), values: [] }));
      node = n;
    }
    node.values.push(value);
  }

  /** Adds to `out` the value of every word that occurs in `text` (as String.includes finds it). */
  in(text: string, out: Set<T>): void {
    for (const v of this.root.values) out.add(v);
    for (let i = 0; i < text.length; i++) {
      let node: Node<T> | undefined = this.root;
      for (let j = i; j < text.length; j++) {
        node = node.next.get(text.charCodeAt(j));
        if (!node) break;
        for (const v of node.values) out.add(v);
      }
    }
  }
}

const principalText = (s: Statement): string => JSON.stringify(s.Principal ?? null);

/** A policy statement that lets in any principal, any account or a root (so any role may be in). */
const broad = (s: Statement): boolean => s.Principal === '*' || /"\*"|root|\d{12}"/.test(principalText(s));

const bucketName = (store: Store): string => store.arn.replace(/^arn:[^:]*:s3:::/, '');

/** Whether a statement allows some S3 data action (every verb needs one on the bucket or its objects). */
const dataAllow = (s: Statement): boolean =>
  s.Effect !== 'Deny' && S3_ACTIONS.some((a) => actionMatches(s, a) !== false);

/** A Resource that may name any bucket: absent, unresolved, `*`, or a wildcard in the bucket part. */
const anyBucket = (r: unknown): boolean =>
  typeof r !== 'string' || r === '*' || /[*?]/.test(r.replace(/\/.*$/, ''));

export interface ReachIndex {
  /** The stores the role may reach, or `all`. */
  forRole(role: AwsRole): ReadonlySet<Store> | 'all';
  /** The datasets with a bucket policy or a key, whose layers are asked of every tenant's role. */
  readonly layeredDatasets: readonly Store[];
}

function identityStores(identity: readonly Doc[], buckets: Substrings<Store>): Set<Store> | 'all' {
  const out = new Set<Store>();
  for (const d of identity)
    for (const s of d.statements) {
      if (!dataAllow(s)) continue;
      if (s.Resource === undefined) return 'all';
      for (const r of asArray(s.Resource)) {
        if (anyBucket(r)) return 'all';
        buckets.in(r as string, out);
      }
    }
  return out;
}

export function reachIndex(model: AwsModel): ReachIndex {
  const open = new Set<Store>();
  const names = new Substrings<AwsRole>();
  for (const r of model.roles) for (const n of r.names) names.add(n, r);
  const named = new Map<AwsRole, Set<Store>>();
  for (const store of model.stores) {
    for (const d of store.policy ?? [])
      for (const s of d.statements) {
        if (s.Effect === 'Deny') continue;
        if (broad(s)) {
          open.add(store);
          continue;
        }
        const roles = new Set<AwsRole>();
        names.in(principalText(s), roles);
        for (const r of roles) named.set(r, (named.get(r) ?? new Set()).add(store));
      }
  }
  const buckets = new Substrings<Store>();
  for (const s of model.stores) buckets.add(bucketName(s), s);
  return {
    layeredDatasets: model.stores.filter(
      (s) => s.kind === 'dataset' && (s.policy !== undefined || s.key !== undefined),
    ),
    forRole(role) {
      const own = identityStores(role.identity, buckets);
      if (own === 'all') return own;
      for (const s of open) own.add(s);
      for (const s of named.get(role) ?? []) own.add(s);
      return own;
    },
  };
}
