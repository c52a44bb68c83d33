/**
 * SARIF 2.1.0 for code scanning: one run, one reportingDescriptor per rule, results with the
 * artifact (URI relative to the checked folder, base id ARTIFACTS), the line that declares the
 * resource, a logical location naming the resource, and a readable partial fingerprint.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CheckResult } from '../engine/checks';
import { META_RULES } from '../engine/meta';
import type { Finding, Severity } from '../engine/types';

/** GitHub code scanning accepts at most this many results per run. */
export const MAX_RESULTS = 25_000;
export const TOOL_NAME = 'genesis-check';
export const TOOL_VERSION = '0.1.0';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

export function toSarif(result: CheckResult): Record<string, unknown> {
  const descriptors = [
    ...result.rules.map((r) => ({ ...r, examples: undefined, check: undefined })),
    ...META_RULES,
  ].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const results = result.findings.slice(0, MAX_RESULTS).map((f) => toResult(f, index.get(f.ruleId)));
  const truncated = result.findings.length - results.length;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            semanticVersion: TOOL_VERSION,
            rules: descriptors.map((d) => ({
              id: d.id,
              name: d.id.replace(/-/g, ''),
              shortDescription: { text: d.title },
              fullDescription: { text: d.rationale },
              help: {
                text: d.remediation,
                markdown: `**Remediation.** ${d.remediation}\n\n**NIST SP 800-53 rev5:** ${d.controls.join(', ')}`,
              },
              defaultConfiguration: { level: LEVEL[d.severity] },
              properties: {
                tags: [d.pack, ...d.controls.map((c) => `NIST-800-53:${c}`)],
                pack: d.pack,
                controls: [...d.controls],
              },
            })),
          },
        },
        originalUriBaseIds: {
          ARTIFACTS: { description: { text: 'The folder that was checked (the output of genesis synth).' } },
          SRCROOT: { description: { text: 'The root of the repository (for the exceptions file).' } },
        },
        invocations: [
          {
            executionSuccessful: true,
            ...(truncated > 0
              ? {
                  toolExecutionNotifications: [
                    {
                      level: 'warning',
                      message: {
                        text: `${truncated} further results were left out (SARIF consumers accept ${MAX_RESULTS} per run); see findings.json.`,
                      },
                    },
                  ],
                }
              : {}),
          },
        ],
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
}

/** Artifacts are relative to the checked folder; the exceptions file to the repository (or absolute). */
function artifactLocation(f: Finding): Record<string, string> {
  if (f.location.resourceType !== 'exception')
    return { uri: encodeURI(f.location.file), uriBaseId: 'ARTIFACTS' };
  return path.isAbsolute(f.location.file)
    ? { uri: pathToFileURL(f.location.file).href }
    : { uri: encodeURI(f.location.file), uriBaseId: 'SRCROOT' };
}

function toResult(f: Finding, ruleIndex: number | undefined): Record<string, unknown> {
  return {
    ruleId: f.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    level: LEVEL[f.severity],
    kind: 'fail',
    message: { text: `${f.location.resourceName}: ${f.message}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(f),
          ...(f.location.line ? { region: { startLine: f.location.line } } : {}),
        },
        logicalLocations: [
          {
            name: f.location.resourceName,
            fullyQualifiedName: f.location.stableKey ?? f.location.resourceKey,
            kind: 'resource',
          },
        ],
      },
    ],
    partialFingerprints: { 'genesisFinding/v1': f.fingerprint },
    ...(f.suppression
      ? {
          suppressions: [
            {
              kind: 'external',
              status: 'accepted',
              justification: `${f.suppression.reason} (owner ${f.suppression.owner}, until ${f.suppression.expires})`,
            },
          ],
        }
      : {}),
    properties: { status: f.status, pack: f.pack, controls: [...f.controls] },
  };
}
