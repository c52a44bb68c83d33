/**
 * The diff as Markdown (a pull-request comment), JSON (for CI: stable, keys and lists sorted) and
 * SARIF 2.1.0 (for code scanning, each result with its baselineState).
 */
import { stableJson } from '../../infra/util/stable-json';
import { TOOL_VERSION } from '../report/sarif';
import type { Change, DiffResult, SectionResult } from './types';

export const DIFF_TOOL_NAME = 'genesis-diff';
const MAX_VALUE = 160;

/** Labels of the two sides as the user named them (never temporary paths). */
export interface Sides {
  readonly base: string;
  readonly head: string;
}

function shortValue(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  const one = text.replace(/\s+/g, ' ');
  return one.length > MAX_VALUE ? `${one.slice(0, MAX_VALUE - 1)}…` : one;
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** One change on one line: classification, resource, path, reason, values and file. */
export function changeLine(c: Change): string {
  const at = c.witness.path
    ? `${code(c.witness.resource)} ${code(c.witness.path)}`
    : code(c.witness.resource);
  const values: string[] = [];
  if (c.before !== undefined) values.push(`before ${code(shortValue(c.before))}`);
  if (c.after !== undefined) values.push(`after ${code(shortValue(c.after))}`);
  return `- **${c.classification}** ${c.change} ${at}: ${c.reason}${values.length ? `; ${values.join(', ')}` : ''} (${c.witness.file})`;
}

function sectionLines(s: SectionResult, n: number): string[] {
  const lines = [`### ${n}. ${s.title}`, ''];
  if (s.note) lines.push(`_${s.note}_`, '');
  if (s.changes.length === 0) return [...lines, 'No changes.', ''];
  if (s.id !== 'resources') return [...lines, ...s.changes.map(changeLine), ''];
  let group: string | undefined;
  for (const c of s.changes) {
    if (c.group !== group) {
      group = c.group;
      lines.push(`#### ${group === c.witness.file ? group : `${group} (${c.witness.file})`}`, '');
    }
    lines.push(changeLine(c));
  }
  return [...lines, ''];
}

export function toMarkdown(result: DiffResult, sides: Sides): string {
  const s = result.summary;
  const total = s.broadening + s.narrowing + s.neutral;
  const lines = [`## Security diff: ${code(sides.base)} -> ${code(sides.head)}`, ''];
  if (total === 0) return `${[...lines, 'No changes.'].join('\n')}\n`;
  lines.push(
    `**${s.broadening} broadening, ${s.narrowing} narrowing, ${s.neutral} neutral** (each change counted once; section 6 repeats those of sections 1-5 among all resource changes)`,
    '',
  );
  result.sections.forEach((sec, i) => lines.push(...sectionLines(sec, i + 1)));
  return `${lines.join('\n').trimEnd()}\n`;
}

export function toJson(result: DiffResult, sides: Sides): string {
  return stableJson({
    tool: { name: DIFF_TOOL_NAME, version: TOOL_VERSION },
    base: sides.base,
    head: sides.head,
    summary: result.summary,
    sections: result.sections,
  });
}

const BASELINE: Record<Change['change'], 'new' | 'absent' | 'updated'> = {
  added: 'new',
  removed: 'absent',
  changed: 'updated',
};
const LEVEL = { broadening: 'warning', narrowing: 'note', neutral: 'note' } as const;
const ruleIdOf = (section: string): string => `GEN-DIFF-${section.toUpperCase()}`;

export function toSarif(result: DiffResult, sides: Sides): Record<string, unknown> {
  const rules = result.sections.map((s) => ({
    id: ruleIdOf(s.id),
    name: `Diff${s.id[0].toUpperCase()}${s.id.slice(1)}`,
    shortDescription: { text: s.title },
    defaultConfiguration: { level: 'note' },
  }));
  const results = result.sections.flatMap((s, ruleIndex) =>
    s.changes.map((c) => ({
      ruleId: ruleIdOf(s.id),
      ruleIndex,
      level: LEVEL[c.classification],
      kind: c.classification === 'broadening' ? 'review' : 'informational',
      baselineState: BASELINE[c.change],
      message: {
        text: `${c.classification}: ${c.witness.resource}${c.witness.path ? ` ${c.witness.path}` : ''}: ${c.reason}`,
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: {
              uri: encodeURI(c.witness.file),
              uriBaseId: c.change === 'removed' ? 'BASE' : 'HEAD',
            },
          },
          logicalLocations: [
            {
              name: c.witness.resource,
              fullyQualifiedName: `${c.witness.resource}${c.witness.path ? `#${c.witness.path}` : ''}`,
              kind: 'resource',
            },
          ],
        },
      ],
      partialFingerprints: { 'genesisDiff/v1': c.id },
      properties: { classification: c.classification, section: s.id, type: c.type },
    })),
  );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: DIFF_TOOL_NAME, semanticVersion: TOOL_VERSION, rules } },
        originalUriBaseIds: {
          BASE: { description: { text: `The output compared against: ${sides.base}` } },
          HEAD: { description: { text: `The output compared: ${sides.head}` } },
        },
        invocations: [{ executionSuccessful: true }],
        columnKind: 'unicodeCodePoints',
        results,
        properties: { summary: result.summary },
      },
    ],
  };
}

export const toSarifText = (result: DiffResult, sides: Sides): string => stableJson(toSarif(result, sides));
