/** Writes <dir>/report/ at once: findings.json, findings.sarif, report.md, reachability.json. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeDirAtomically } from '../../infra/util/atomic-dir';
import { stableJson } from '../../infra/util/stable-json';
import type { CheckResult } from '../engine/checks';
import { toMarkdown } from './markdown';
import { TOOL_NAME, TOOL_VERSION, toSarif } from './sarif';

export function findingsJson(result: CheckResult): Record<string, unknown> {
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    summary: result.summary,
    findings: result.findings.map((f) => ({ ...f, controls: [...f.controls] })),
  };
}

/** Returns the report folder. */
export async function writeReport(
  dir: string,
  result: CheckResult,
  dirLabel = dir,
  target = path.join(dir, 'report'),
): Promise<string> {
  await writeDirAtomically(target, (staging) => {
    fs.writeFileSync(path.join(staging, 'findings.json'), stableJson(findingsJson(result)));
    fs.writeFileSync(path.join(staging, 'findings.sarif'), stableJson(toSarif(result)));
    fs.writeFileSync(path.join(staging, 'report.md'), toMarkdown(result, dirLabel));
    if (result.reach) fs.writeFileSync(path.join(staging, 'reachability.json'), stableJson(result.reach));
    if (result.access) fs.writeFileSync(path.join(staging, 'access.json'), stableJson(result.access));
  });
  return target;
}
