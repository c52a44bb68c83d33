/**
 * The vocabulary of the security diff: two synthesized outputs (BASE and HEAD) compared section by
 * section, each change classified and carrying its witness. Like the rules, the diff reads
 * artifacts (and the analyses' reports written beside them), never the model.
 */
import type { ArtifactSet } from '../engine/types';

export type Classification = 'broadening' | 'narrowing' | 'neutral';

/** Where a change can be seen: the file, the resource in it, and the JSON path of the property. */
export interface Witness {
  /** Path relative to the output folder (aws/<stack>.template.json, k8s/<site>/<cluster>/<file>, report/...). */
  readonly file: string;
  /** Resource key, as in findings: aws:<stack>/<logicalId> or k8s:<site>/<cluster>/<Kind>/<ns|->/<name>. */
  readonly resource: string;
  /** JSON path of the property within the resource ('' for the resource as a whole). */
  readonly path: string;
}

export type SectionId = 'access' | 'reachability' | 'privilege' | 'quota' | 'protection' | 'resources';

export interface Change {
  readonly section: SectionId;
  /** Stable identity of the change across runs: section, resource and path. */
  readonly id: string;
  readonly change: 'added' | 'removed' | 'changed';
  readonly classification: Classification;
  /** Why the change is classified so, in a plain sentence. */
  readonly reason: string;
  /** The stack name or cluster file (k8s/<site>/<cluster>/<file>) the change belongs to. */
  readonly group: string;
  /** Resource type (CloudFormation type or apiVersion Kind), or the kind of report cell. */
  readonly type: string;
  readonly witness: Witness;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** One resource of an output, indexed by a key that does not depend on hashes where avoidable. */
export interface IndexedResource {
  /** Identity used to pair BASE and HEAD: aws:<stack>/<construct path or logical id>, or the k8s key. */
  readonly key: string;
  /** Resource key as findings name it. */
  readonly resource: string;
  readonly target: 'aws' | 'k8s';
  readonly file: string;
  readonly group: string;
  readonly type: string;
  readonly body: unknown;
}

/** A cell of an analysis report (access.json, reachability.json), with the file it came from. */
export interface ReportCell {
  readonly key: string;
  readonly file: string;
  readonly until?: string;
  readonly cell: Record<string, unknown>;
}

/** A reviewed exception in force on one side (rule, resource, expiry), with where it was read. */
export interface ExceptionCell {
  readonly key: string;
  readonly rule: string;
  readonly resource: string;
  readonly expires: string;
  readonly file: string;
}

/** One side of the diff: what was read from its output folder. */
export interface DiffSide {
  readonly dir: string;
  readonly artifacts: ArtifactSet;
  readonly resources: ReadonlyMap<string, IndexedResource>;
  /** Report name (access, reachability) -> its cells by key; absent when the report is not there. */
  readonly reports: ReadonlyMap<string, ReadonlyMap<string, ReportCell>>;
  readonly exceptions: ReadonlyMap<string, ExceptionCell>;
}

/** A property that differs between two versions of one resource. */
export interface PropertyChange {
  readonly path: string;
  /** Path segments (object keys, or array markers such as `[3]`, `[Sid=Read]`, `[]`). */
  readonly segments: readonly string[];
  readonly before?: unknown;
  readonly after?: unknown;
}

/** A resource of BASE and/or HEAD that differs. */
export interface ResourceChange {
  readonly key: string;
  readonly base?: IndexedResource;
  readonly head?: IndexedResource;
  readonly status: 'added' | 'removed' | 'changed';
  /** Property changes, for a changed resource. */
  readonly properties: readonly PropertyChange[];
}

/** What every section sees: both sides and the resource changes, computed once. */
export interface DiffContext {
  readonly base: DiffSide;
  readonly head: DiffSide;
  readonly resources: readonly ResourceChange[];
}

/**
 * A section of the report. The six built-in ones are listed in policies/diff/engine.ts; the
 * access and reachability sections are generic over the analyses' reports and meant to be
 * replaced by the analyses' own.
 */
export interface Section {
  readonly id: SectionId;
  readonly title: string;
  diff(ctx: DiffContext): { readonly changes: Change[]; readonly note?: string };
}

export interface SectionResult {
  readonly id: SectionId;
  readonly title: string;
  /** Set when the section had nothing to read (e.g. neither side has report/access.json). */
  readonly note?: string;
  readonly changes: readonly Change[];
}

export interface DiffResult {
  readonly sections: readonly SectionResult[];
  readonly summary: Readonly<Record<Classification, number>>;
}
