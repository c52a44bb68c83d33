/** report.md: summary per pack and per control, then every finding with its remediation. */
import type { CheckResult } from '../engine/checks';
import { markdownTable, type AccessReport } from '../analysis/access/present';
import type { Finding } from '../engine/types';
import { reachMarkdown } from '../analysis/reach/report';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const where = (f: Finding): string => `\`${f.location.file}${f.location.line ? `:${f.location.line}` : ''}\``;

export function toMarkdown(result: CheckResult, dirLabel: string): string {
  const s = result.summary;
  const lines: string[] = [];
  // `genesis synth` passes "." so that the report does not depend on where it was written.
  lines.push(
    dirLabel === '.' ? '# Policy check of the synthesized artifacts' : `# Policy check of \`${dirLabel}\``,
    '',
  );
  lines.push(
    `${s.rules} rules over ${s.stacks} CloudFormation stack${s.stacks === 1 ? '' : 's'} and ${s.k8sDocuments} Kubernetes object${s.k8sDocuments === 1 ? '' : 's'}: ` +
      `**${s.error} error${s.error === 1 ? '' : 's'}**, ${s.warning} warning${s.warning === 1 ? '' : 's'} (${s.unknown} undecided), ${s.info} info, ${s.suppressed} suppressed by exceptions.`,
    '',
  );
  lines.push(
    '## By pack',
    '',
    '| Pack | Rules | Errors | Warnings | Undecided | Info | Suppressed |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const p of s.packs)
    lines.push(
      `| ${p.pack} | ${p.rules} | ${p.error} | ${p.warning} | ${p.unknown} | ${p.info} | ${p.suppressed} |`,
    );
  lines.push('', '## By NIST SP 800-53 rev5 control', '');
  if (s.controls.length === 0) lines.push('No open findings.');
  else {
    lines.push('| Control | Errors | Warnings | Info |', '|---|---:|---:|---:|');
    for (const c of s.controls) lines.push(`| ${c.control} | ${c.error} | ${c.warning} | ${c.info} |`);
  }
  if (result.reach) lines.push('', ...reachMarkdown(result.reach));
  lines.push('', '## Findings', '');
  const open = result.findings.filter((f) => !f.suppression);
  if (open.length === 0) lines.push('None.');
  for (const f of open) lines.push(...findingBlock(f));
  const suppressed = result.findings.filter((f) => f.suppression);
  if (suppressed.length) {
    lines.push(
      '',
      '## Suppressed by exceptions',
      '',
      '| Rule | Resource | Owner | Until | Reason |',
      '|---|---|---|---|---|',
    );
    for (const f of suppressed)
      lines.push(
        `| ${f.ruleId} | \`${f.location.resourceKey}\` | ${f.suppression!.owner} | ${f.suppression!.expires} | ${esc(f.suppression!.reason)} |`,
      );
  }
  if (result.access) lines.push('', ...accessSection(result.access));
  return `${lines.join('\n')}\n`;
}

/** Who can reach which data on the checked day: the matrix and its differences from the grants (report/access.json). */
function accessSection(a: AccessReport): string[] {
  const lines = [
    '## Access',
    '',
    `Effective access on ${a.at.slice(0, 10)}, computed from the artifacts (see \`genesis access\`): ${a.summary.differences} difference${a.summary.differences === 1 ? '' : 's'} from the grants of platform.json, ${a.summary.undecided} undecided.`,
    '',
  ];
  lines.push(a.rows.length ? markdownTable(a.rows).trimEnd() : 'No access.');
  for (const d of a.differences) lines.push(`- ${d.kind}: ${esc(d.message)} (\`${d.at.resource}\`)`);
  lines.push(
    '',
    `Who can change access in one step: ${a.changers.length ? a.changers.map((c) => `${c.principal} (${c.actions.join(', ')})`).join('; ') : 'no principal of the artifacts'}; besides the account root user and administrators outside the artifacts.`,
    '',
    `Who else runs workloads in tenant namespaces: ${a.runners.length ? a.runners.map((r) => `${r.principal} in ${r.cluster} ${r.namespace}${r.federation ? ` (manager of federation ${r.federation}${r.declared ? '' : ', not declared'})` : ''}`).join('; ') : 'nobody besides each tenant'}.`,
  );
  return lines;
}

function findingBlock(f: Finding): string[] {
  return [
    `### ${f.severity.toUpperCase()}${f.status === 'unknown' ? ' (undecided)' : ''} ${f.ruleId}: ${f.title}`,
    '',
    `- Resource: ${f.location.resourceName} (\`${f.location.resourceKey}\`${f.location.stableKey ? `, construct \`${f.location.stableKey}\`` : ''}, ${f.location.resourceType})`,
    `- File: ${where(f)}`,
    `- Finding: ${f.message}`,
    `- Remediation: ${f.remediation}`,
    `- Controls: ${f.controls.join(', ')}`,
    `- Fingerprint: \`${f.fingerprint}\``,
    '',
  ];
}
