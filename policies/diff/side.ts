/**
 * One side of the diff, read from an output folder through the policy engine's loader: every
 * resource indexed by a hash-free key, the access and reachability analyses computed from the
 * artifacts (never read from report files, which an edit could leave stale), and the reviewed
 * exceptions in force (from an exceptions file, and from the suppressions the check recorded).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { isRecord } from '../../infra/util/records';
import { stableJson } from '../../infra/util/stable-json';
import { accessMatrix } from '../analysis/access/matrix';
import { accessReport } from '../analysis/access/present';
import { reachReport } from '../analysis/reach/report';
import { todayUtc } from '../engine/today';
import { InputError } from '../engine/errors';
import { ExceptionsFile } from '../engine/exceptions';
import { loadArtifacts, type ParsedManifests } from '../engine/load';
import type { ArtifactSet } from '../engine/types';
import type { DiffSide, ExceptionCell, IndexedResource, ReportCell } from './types';
import { guardPrimitives } from '../engine/primitive-guard';

/** The analysis reports the generic sections read, by name: report/<name>.json. */
export const REPORTS = ['access', 'reachability'] as const;

/** Fields of a cell that are not part of its identity. */
const VOLATILE = new Set(['until', 'witness', 'witnesses', 'via']);

function indexResources(artifacts: ArtifactSet): Map<string, IndexedResource> {
  const out = new Map<string, IndexedResource>();
  const put = (r: IndexedResource): void => {
    let key = r.key;
    for (let n = 2; out.has(key); n++) key = `${r.key}#${n}`;
    out.set(key, { ...r, key });
  };
  for (const st of artifacts.aws?.stacks ?? []) {
    for (const [id, res] of Object.entries(st.template.Resources ?? {})) {
      const stable = st.constructPaths.get(id) ?? id;
      put({
        key: `aws:${st.stackName}/${stable}`,
        resource: `aws:${st.stackName}/${id}`,
        target: 'aws',
        file: st.file,
        group: st.stackName,
        type: res.Type,
        body: res,
      });
    }
  }
  for (const d of artifacts.k8s?.documents ?? []) {
    const o = d.object;
    const key = `k8s:${d.site}/${d.cluster}/${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name ?? ''}`;
    put({
      key,
      resource: key,
      target: 'k8s',
      file: d.file,
      group: d.file,
      type: `${o.apiVersion} ${o.kind}`,
      body: o,
    });
  }
  return out;
}

/** The identity of a report cell: its `key` where it has one, else its content without expiry and witness. */
export function cellKey(cell: Record<string, unknown>): string {
  if (typeof cell.key === 'string') return cell.key;
  return stableJson(Object.fromEntries(Object.entries(cell).filter(([k]) => !VOLATILE.has(k)))).trim();
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What identifies an opening's path: its description without the lists of names and addresses. */
function pathOf(o: Record<string, unknown>): string {
  const what = text(o.what);
  const via = what.indexOf('(through ');
  return (Array.isArray(o.names) || Array.isArray(o.cidrs)) && via >= 0 ? what.slice(via) : what;
}

/**
 * The cells of the reports `genesis check` writes. Access: one cell per effective row, keyed by
 * data, tenant, principal, access, target and network path (a new path is a new cell). Reachability:
 * one cell per opening that is open or undecided, keyed by source, destination and what passes, with
 * the rules and routes that allow it as witness.
 */
function analysisCells(name: string, json: unknown): unknown[] | undefined {
  if (!isRecord(json)) return undefined;
  if (name === 'access' && Array.isArray(json.rows))
    return json.rows.filter(isRecord).map((r) => ({
      ...r,
      key: ['access', r.data, r.tenant, r.principal, r.access, r.target, r.via].map(text).join('|'),
    }));
  if (name === 'reachability' && Array.isArray(json.openings))
    return json.openings
      .filter(isRecord)
      .filter((o) => o.status !== 'closed')
      .map((o) => {
        const first = Array.isArray(o.witness) && isRecord(o.witness[0]) ? o.witness[0] : undefined;
        return {
          ...o,
          // An opening by names or addresses is one path whatever the lists hold: a longer list
          // is the same cell, changed (and judged by its lists), not a path removed and another added.
          key: ['reach', o.from, o.to, pathOf(o)].map(text).join('|'),
          ...(first
            ? { witness: { file: first.file, resource: first.resource, path: text(first.text) } }
            : {}),
        };
      });
  return undefined;
}

/**
 * The cells of an analysis, computed from the artifacts as `genesis check` computes them for
 * report/<name>.json. The report files on disk are not read: an edit of the templates or manifests
 * that leaves a stale report beside them must still show in the diff.
 */
function computedReport(
  name: (typeof REPORTS)[number],
  artifacts: ArtifactSet,
  now: string,
): Map<string, ReportCell> {
  const shown = `report/${name}.json`;
  const report =
    name === 'access'
      ? accessReport(accessMatrix({ artifacts }, Date.parse(`${now}T00:00:00Z`)))
      : reachReport(artifacts);
  // Plain data, exactly as the report file holds it.
  const json: unknown = JSON.parse(stableJson(report));
  const out = new Map<string, ReportCell>();
  for (const c of analysisCells(name, json) ?? []) {
    if (!isRecord(c)) continue;
    const key = cellKey(c);
    out.set(key, { key, file: shown, cell: c, ...(typeof c.until === 'string' ? { until: c.until } : {}) });
  }
  return out;
}

function exceptionsFromFile(file: string, shown: string, out: Map<string, ExceptionCell>): void {
  let value: unknown;
  try {
    value = parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(file, `cannot read exceptions: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = ExceptionsFile.safeParse(value ?? { exceptions: [] });
  if (!parsed.success)
    throw new InputError(file, `not a valid exceptions file: ${parsed.error.issues[0].message}`);
  for (const e of parsed.data.exceptions) {
    const key = `${e.rule}|${e.resource}`;
    out.set(key, { key, rule: e.rule, resource: e.resource, expires: e.expires, file: shown });
  }
}

function exceptionsFromFindings(dir: string, out: Map<string, ExceptionCell>): void {
  const shown = 'report/findings.json';
  const abs = path.join(dir, shown);
  if (!fs.existsSync(abs)) return;
  let json: unknown;
  try {
    json = guardPrimitives(JSON.parse(fs.readFileSync(abs, 'utf8')) as unknown);
  } catch {
    throw new InputError(shown, 'not valid JSON');
  }
  const findings = isRecord(json) && Array.isArray(json.findings) ? json.findings : [];
  for (const f of findings) {
    if (!isRecord(f) || !isRecord(f.suppression) || !isRecord(f.location)) continue;
    const rule = String(f.ruleId);
    const resource = String(f.location.resourceKey);
    const key = `${rule}|${resource}`;
    if (!out.has(key))
      out.set(key, { key, rule, resource, expires: String(f.suppression.expires), file: shown });
  }
}

export interface SideOptions {
  /** Reviewed exceptions in force on this side (an exceptions.yaml-style file). */
  readonly exceptionsFile?: string;
  /** How changes name that file (default: as given). */
  readonly exceptionsLabel?: string;
  /** The day the access analysis is evaluated at, YYYY-MM-DD (default: today, UTC). */
  readonly now?: string;
  /**
   * This side's manifests known by their text (`writtenDocuments`, for a caller that has just
   * written them): a file that holds that text is not parsed.
   */
  readonly written?: ParsedManifests;
}

/**
 * Reads an output folder. Unreadable input throws an InputError naming the file. With `parsed`,
 * manifests the other side holds alike are not parsed again.
 */
export function readSide(dir: string, options: SideOptions = {}, parsed?: ParsedManifests): DiffSide {
  const artifacts = loadArtifacts(dir, parsed);
  if (!artifacts.aws && !artifacts.k8s)
    throw new InputError(dir, 'holds neither aws/ nor k8s/: not a genesis output');
  const reports = new Map<string, Map<string, ReportCell>>();
  for (const name of REPORTS) reports.set(name, computedReport(name, artifacts, options.now ?? todayUtc()));
  const exceptions = new Map<string, ExceptionCell>();
  if (options.exceptionsFile)
    exceptionsFromFile(options.exceptionsFile, options.exceptionsLabel ?? options.exceptionsFile, exceptions);
  exceptionsFromFindings(dir, exceptions);
  return { dir, artifacts, resources: indexResources(artifacts), reports, exceptions };
}
