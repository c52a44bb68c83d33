/**
 * The vocabulary of the policy engine: artifacts as read from disk, rules, and findings.
 *
 * Policies judge synthesized artifacts only (a CloudFormation cloud assembly and Kubernetes YAML),
 * never the platform model: a rule that consulted the model would prove nothing about what is
 * deployed, and could not judge output edited by hand.
 */

export type Severity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export type RuleTarget = 'aws' | 'k8s' | 'both';

export type Pack =
  | 'aws-data-protection'
  | 'aws-network'
  | 'aws-identity'
  | 'aws-service-limits'
  | 'k8s-tenancy'
  | 'k8s-capacity'
  | 'cross-target'
  | 'exceptions'
  | 'input';

/** A CloudFormation stack of the cloud assembly. */
export interface StackArtifact {
  readonly stackName: string;
  /** Path of the template relative to the checked folder, POSIX separators (e.g. aws/Site-x.template.json). */
  readonly file: string;
  readonly template: CfnTemplate;
  /** Size of the template file in bytes, as written. */
  readonly bytes: number;
  readonly account?: string;
  readonly region?: string;
  /** Line of each resource's logical id in the file, where it could be found. */
  readonly resourceLines: ReadonlyMap<string, number>;
  /**
   * Construct path of each resource below the stack (e.g. `EnclaveGwCui/Vpc`), from the assembly's
   * metadata: the stable, hash-free identity of a resource, where the assembly records it.
   */
  readonly constructPaths: ReadonlyMap<string, string>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value?: unknown; Export?: { Name?: unknown } }>;
  readonly Parameters?: Record<string, { Type?: string; Default?: unknown; AllowedValues?: unknown[] }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  readonly [key: string]: unknown;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: unknown;
  readonly UpdateReplacePolicy?: unknown;
  readonly Condition?: string;
  readonly Metadata?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** One Kubernetes object of one YAML document. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [key: string]: unknown;
}

export interface K8sDocument {
  readonly object: K8sObject;
  /** Path of the YAML file relative to the checked folder (k8s/<site>/<cluster>/<chart>.yaml). */
  readonly file: string;
  /** 1-based line where the document's content starts. */
  readonly line: number;
  readonly site: string;
  readonly cluster: string;
}

export interface ArtifactSet {
  /** The CloudFormation stacks, or undefined when the folder has no cloud assembly. */
  readonly aws?: {
    readonly stacks: readonly StackArtifact[];
    /** Templates in the folder that the assembly manifest does not list (nothing deploys them). */
    readonly unlisted?: readonly string[];
  };
  /** The Kubernetes objects, or undefined when the folder has no k8s/ tree. */
  readonly k8s?: { readonly documents: readonly K8sDocument[] };
  /**
   * The declared intent: `platform.json` as synth wrote it (the normalised spec), parsed but not
   * interpreted here. Analyses that hold effect to intent read the parts they need from it.
   */
  readonly intent?: { readonly file: string; readonly json: unknown };
}

/** What a finding points at. */
export type ResourceRef =
  | { readonly target: 'aws'; readonly stack: StackArtifact; readonly logicalId: string }
  | { readonly target: 'k8s'; readonly doc: K8sDocument }
  | { readonly target: 'file'; readonly file: string; readonly key: string; readonly line?: number };

/** One verdict of a rule: it failed on a resource, or it could not decide. */
export interface RuleResult {
  readonly resource: ResourceRef;
  readonly status: 'fail' | 'unknown';
  readonly message: string;
  /** Overrides the rule's severity for this result (e.g. a service limit at 80% is a warning). */
  readonly severity?: Severity;
}

export interface RuleContext {
  readonly artifacts: ArtifactSet;
  /** The date the check judges time against (YYYY-MM-DD, `--now`); today (UTC) when absent. */
  readonly now?: string;
}

/** A small artifact fragment on which a rule must pass or fire (builders: policies/examples/builders.ts). */
export interface ExampleArtifacts {
  /** Stack name -> template. */
  readonly aws?: Readonly<Record<string, CfnTemplate>>;
  /** Path under k8s/ (<site>/<cluster>/<chart>.yaml) -> objects. */
  readonly k8s?: Readonly<Record<string, readonly K8sObject[]>>;
  /** The declared intent (platform.json content). */
  readonly intent?: unknown;
}

/** One named case of a rule: the artifacts, and whether the rule fires (and with what message). */
export interface RuleExample {
  /** Says the case, e.g. "an ipBlock of 0.0.0.0/0 split in two halves". */
  readonly name: string;
  readonly artifacts: ExampleArtifacts;
  /** Whether the rule fires; when it does, a pattern every message of its failures on this case matches. */
  readonly expect: { readonly fires: true; readonly message: RegExp } | { readonly fires: false };
}

/** Every example of a rule (kept for callers that take a rule rather than its examples). */
export function namedExamples(rule: Pick<Rule, 'examples'>): readonly RuleExample[] {
  return rule.examples;
}

/**
 * What a rule file declares (`defineRule`). The registry makes it a Rule: the target follows from
 * the rule's folder (aws, k8s, cross) and the file from its name in that folder's index.
 */
export type RuleDefinition = Omit<Rule, 'target' | 'file'>;

export interface Rule {
  readonly id: string;
  readonly title: string;
  readonly pack: Pack;
  readonly severity: Severity;
  /** NIST SP 800-53 rev5 control ids, e.g. SC-28(1). */
  readonly controls: readonly string[];
  /** What the rule reads: the folder it lives in (aws, k8s; cross reads both). */
  readonly target: RuleTarget;
  /** The rule's source file, e.g. policies/rules/aws/S3TlsOnly.ts. */
  readonly file: string;
  readonly rationale: string;
  readonly remediation: string;
  check(ctx: RuleContext): Iterable<RuleResult>;
  /** Named cases the rule is tested on (policies/README.md: "add a rule"). */
  readonly examples: readonly RuleExample[];
}

export interface FindingLocation {
  /** Artifact path relative to the checked folder (or the exceptions file as given). */
  readonly file: string;
  readonly line?: number;
  /** Stable key of the resource: aws:<stack>/<logicalId> or k8s:<site>/<cluster>/<Kind>/<ns|->/<name>. */
  readonly resourceKey: string;
  /** Human name of the resource: logical id or Kind namespace/name. */
  readonly resourceName: string;
  readonly resourceType: string;
  /**
   * The hash-free identity fingerprints use: `aws:<stack>/<construct path>` where the assembly
   * records the construct path; the resource key otherwise (CDK logical ids end in a hash).
   */
  readonly stableKey?: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  readonly pack: Pack;
  readonly severity: Severity;
  readonly status: 'fail' | 'unknown';
  readonly message: string;
  readonly controls: readonly string[];
  readonly remediation: string;
  readonly location: FindingLocation;
  /** ruleId|file|stableKey (or resourceKey): readable, stable across runs, never a hash. */
  readonly fingerprint: string;
  /** Set when a valid exception suppresses the finding. */
  readonly suppression?: { readonly reason: string; readonly owner: string; readonly expires: string };
}
