/**
 * The AWS target: one CDK app with a `Site-<site>` stack per AWS site, a `Tenant-<tenant>` stack
 * per tenant homed on an AWS site, and a `Partner-<site>` stack per partner site hosted in the
 * partner's own AWS account, synthesized to a CloudFormation cloud assembly.
 */
import {
  App,
  AspectPriority,
  Aspects,
  Stack,
  Validations,
  type IAspect,
  type IPolicyValidationPluginBeta1,
} from 'aws-cdk-lib';
import type * as CdkNag from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { Platform } from '../../infra/model';
import { partnerStackName, siteStackName, tenantStackName } from '../../infra/contract/names';
import { placeOnAws, type AwsPlacement } from './placement';
import { RECOMMENDED_FLAGS } from './feature-flags';
import { CloudFormationValidation, cfnValidationEnabled } from './cfn-validation';
import { PartnerStack } from './partner-stack';
import { selectStacks } from './select';
import { SiteStack } from './site-stack';
import { TenantStack } from './tenant-stack';

/**
 * Feature flags of aws-cdk-lib this target relies on. They live here, not in cdk.json, so that
 * `cdk synth` and `genesis synth` build the same templates.
 */
export const CDK_CONTEXT: Readonly<Record<string, unknown>> = {
  // The recommended flags that leave the templates as they are (see feature-flags.ts).
  ...RECOMMENDED_FLAGS,
  // Server access logs are delivered under a bucket policy; ACLs stay disabled on every bucket.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // Partition literals (aws-us-gov) instead of AWS::Partition references where the region is known.
  '@aws-cdk/core:enablePartitionLiterals': true,
  // Metadata without construction stack traces: they hold absolute paths and line numbers.
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:disable-stack-trace': true,
  // The `aws:cdk:path` Metadata of each resource, as the CDK CLI asks for (`--path-metadata`, on
  // by default): `cdk diff --template` of a written template then shows only real changes.
  'aws:cdk:enable-path-metadata': true,
  // Likewise the asset metadata (`--asset-metadata`, on by default): relative asset folder names.
  'aws:cdk:enable-asset-metadata': true,
};

export interface AwsApp {
  readonly app: App;
  readonly sites: ReadonlyMap<string, SiteStack>;
  readonly tenants: ReadonlyMap<string, TenantStack>;
  /** By partner site id; deployed in the partner's account, depending on no platform stack. */
  readonly partners: ReadonlyMap<string, PartnerStack>;
}

export interface AwsAppOptions {
  /** Where the cloud assembly is written; CDK's default (or CDK_OUTDIR) when omitted. */
  readonly outdir?: string;
  /** Validation plugins run over the written templates; synthesis fails on an error report. */
  readonly policyValidation?: IPolicyValidationPluginBeta1[];
  /**
   * Also run cdk-nag's AwsSolutions and NIST 800-53 rev5 packs as validation plugins: synthesis
   * fails on an error neither fixed nor acknowledged (`Validations.of(construct).acknowledge`)
   * on the resource. @default false
   */
  readonly nagPacks?: boolean;
  /**
   * Build only these stacks (names or `*` patterns) and the stacks they depend on; every stack
   * when omitted. A selected stack's template is the same as in a full synthesis (select.ts).
   */
  readonly stacks?: readonly string[];
  /**
   * Run the CloudFormation validator in a worker thread that builds its engine while the app is
   * synthesized (cfn-validation.ts); for processes that synthesize once. @default false
   */
  readonly validatorThread?: boolean;
  /**
   * Ask the parent process to validate, and wait for its answer in this file (a worker of a
   * parallel synthesis, whose parent serves one validator to all its workers:
   * cfn-validation-channel.ts).
   */
  readonly validatorChannel?: string;
  /**
   * The stacks the CloudFormation validator reads (cfn-validation.ts): by default those `stacks`
   * names (every stack when omitted), not the site stacks built only for a tenant stack's sake.
   * An empty set validates nothing, and the validator is not registered: it would load its
   * WebAssembly engine (9 MB, about 0.25 s) only to name its version in the validation report.
   */
  readonly validate?: ReadonlySet<string>;
  /**
   * A cloud assembly whose templates stand validated: a template byte for byte the same as its
   * namesake there is not validated again (`genesis tenant plan` passes the platform as it
   * stands, so only what the tenant's spec changes is read).
   */
  readonly validatedIn?: string;
  /**
   * Build a site stack that a selection holds only because selected tenant stacks depend on it
   * as an empty stand-in of the same name and environment: the tenant stacks' templates and their
   * entries in the manifest are the same (a tenant stack refers to its site by name, never to its
   * constructs), and this synthesis does not build the site's resources. For a caller that takes
   * the site stack from another synthesis: a worker of a parallel synthesis after the first, whose
   * site stacks the first worker builds (parallel.ts). @default false
   */
  readonly standInDependencies?: boolean;
}

/**
 * The site stacks to build (`built`), by site id: each one's SiteStack, or, where `standIn` says,
 * an empty stack of the same name and environment that tenant stacks can depend on.
 */
function siteStacks(
  app: App,
  placement: AwsPlacement,
  built: (name: string) => boolean,
  standIn: (name: string) => boolean,
): { sites: Map<string, SiteStack>; dependencies: Map<string, Stack> } {
  const sites = new Map<string, SiteStack>();
  const dependencies = new Map<string, Stack>();
  for (const s of placement.sites) {
    const name = siteStackName(s.site.id);
    if (!built(name)) continue;
    if (standIn(name)) {
      const env = { account: s.site.account, region: s.site.region };
      dependencies.set(s.site.id, new Stack(app, name, { stackName: name, env }));
      continue;
    }
    const stack = new SiteStack(app, s);
    sites.set(s.site.id, stack);
    dependencies.set(s.site.id, stack);
  }
  return { sites, dependencies };
}

export function buildAwsApp(platform: Platform, options: AwsAppOptions = {}): AwsApp {
  const placement = placeOnAws(platform);
  const app = new App({
    outdir: options.outdir,
    analyticsReporting: false,
    stackTraces: false,
    // Registered below, on the stacks asked for (cfn-validation.ts).
    builtinCloudFormationValidation: false,
    context: { ...CDK_CONTEXT, ...availabilityZoneContext(placement) },
  });
  if (options.policyValidation?.length) Validations.of(app).addPlugins(...options.policyValidation);
  if (options.nagPacks) Validations.of(app).addPlugins(...nagPacks(app));
  const selection = options.stacks ? selectStacks(placement, options.stacks) : undefined;
  const built = (name: string): boolean => !selection || selection.build.has(name);
  const standIn = (name: string): boolean =>
    options.standInDependencies === true && selection !== undefined && !selection.named.has(name);
  const { sites, dependencies } = siteStacks(app, placement, built, standIn);
  // A tenant whose home enclave runs no cluster has no workload that could use a role, and a
  // stack without resources cannot be deployed: such tenants get no stack.
  const tenants = new Map(
    placement.tenants
      .filter((t) => t.clusters.length > 0 && built(tenantStackName(t.tenant.id)))
      .map((t) => {
        const stack = new TenantStack(app, t);
        stack.addStackDependency(
          dependencies.get(t.site.id)!,
          'tenant roles and associations refer to the site by name',
        );
        return [t.tenant.id, stack];
      }),
  );
  const partners = new Map(
    placement.partners
      .filter((p) => built(partnerStackName(p.site.id)))
      .map((p) => [p.site.id, new PartnerStack(app, p)]),
  );
  Aspects.of(app).add(new DropMetadataTraces(), { priority: AspectPriority.READONLY });
  if (cfnValidationEnabled() && options.validate?.size !== 0) {
    const cfn = new CloudFormationValidation({
      stacks: options.validate ?? selection?.named,
      thread: options.validatorThread,
      channel: options.validatorChannel,
      validatedIn: options.validatedIn,
    });
    Validations.of(app).addPlugins(cfn);
    cfn.prepare(app);
  }
  return { app, sites, tenants, partners };
}

/**
 * The cdk-nag packs the platform is held to: AWS Solutions and NIST SP 800-53 rev5. cdk-nag is
 * loaded here, on first use: only the CDK app runs the packs, and loading it cost every other
 * process that builds stacks (the synth, its AWS workers, `tenant plan`) some 0.2 s.
 */
export function nagPacks(app: App): [CdkNag.AwsSolutionsChecks, CdkNag.NIST80053R5Checks] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (above)
  const nag = require('cdk-nag') as typeof CdkNag;
  return [new nag.AwsSolutionsChecks(app), new nag.NIST80053R5Checks(app)];
}

/**
 * Removes stack traces from construct metadata. aws-cdk-lib 2.276 records one with every
 * validation acknowledgement (`Validations.acknowledge`, used by ec2.Vpc among others) even when
 * stack traces are disabled; they hold absolute paths and line numbers, so the cloud assembly
 * would differ between checkouts of the same commit.
 */
class DropMetadataTraces implements IAspect {
  visit(node: IConstruct): void {
    for (const entry of node.node.metadata) delete (entry as { trace?: unknown }).trace;
  }
}

/**
 * The zones of each site, as the context entry CDK would otherwise look up with AWS credentials:
 * the spec names them, so synthesis needs no account access and never sees dummy zones.
 */
export function availabilityZoneContext(placement: AwsPlacement): Record<string, readonly string[]> {
  return Object.fromEntries(
    [...placement.sites.map((s) => s.site), ...placement.partners.map((p) => p.host)].map((h) => [
      `availability-zones:account=${h.account}:region=${h.region}`,
      [...h.availabilityZones],
    ]),
  );
}

/** Writes the cloud assembly (templates, manifest) of the platform's AWS stacks (or of `stacks` and their dependencies) into `outdir`. */
export function synthAws(
  platform: Platform,
  outdir: string,
  options: Pick<
    AwsAppOptions,
    'stacks' | 'validatorThread' | 'validatorChannel' | 'validate' | 'validatedIn' | 'standInDependencies'
  > = {},
): CloudAssembly {
  return withoutSourceMaps(() => buildAwsApp(platform, { ...options, outdir }).app.synth());
}

/**
 * Runs `build` with source maps off. The CDK captures a stack trace for each acknowledgment and
 * box it makes, and this app drops them (aws:cdk:disable-stack-trace); with source maps on (tsx
 * turns them on) formatting those traces was 15% of building a tenant stack. Errors keep their
 * messages.
 */
export function withoutSourceMaps<T>(build: () => T): T {
  const sourceMaps = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled ?? false;
  process.setSourceMapsEnabled(false);
  try {
    return build();
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
}
