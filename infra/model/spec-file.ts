/**
 * Reading one spec file: plain sentences for what the file system says (no EISDIR or ENOENT), a
 * size cap, and YAML syntax errors collapsed to their cause (a tab, the first error) instead of
 * the cascade a parser reports after it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import type { IssuePath } from './checks';
import { formatPath, type SpecProblem } from './problems';

/** Spec files larger than this are refused unread (a platform of 1,000 tenants is about 1 MB). */
export const MAX_SPEC_BYTES = 5 * 1024 * 1024;

export interface ParsedFile {
  readonly file: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  readonly data: unknown;
}

/** The file as the user would name it: relative to the working directory when inside it. */
export function displayName(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** A plain sentence for a file-system error code. */
export function describeFsError(e: unknown, what: 'file' | 'folder' = 'file'): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return `does not exist (no such ${what})`;
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOTDIR':
      return what === 'folder'
        ? 'is a file, not a folder'
        : 'cannot be reached: a part of its path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return `cannot be read: permission denied`;
    case 'ELOOP':
      return 'cannot be read: its path loops through symbolic links';
    case 'ENAMETOOLONG':
      return 'cannot be read: the path is too long';
    default:
      return `cannot be read (${code ?? String(e)})`;
  }
}

function formatSize(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Reads a text file of at most MAX_SPEC_BYTES, or returns the problem in a plain sentence. */
export function readSpecText(file: string): { text: string } | { problem: string } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    return { problem: describeFsError(e) };
  }
  if (stat.isDirectory()) return { problem: 'is a folder, not a file' };
  if (!stat.isFile()) return { problem: 'is not a regular file' };
  if (stat.size > MAX_SPEC_BYTES)
    return {
      problem: `is ${formatSize(stat.size)}; spec files may be at most ${formatSize(MAX_SPEC_BYTES)}`,
    };
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch (e) {
    return { problem: describeFsError(e) };
  }
  if (buffer.includes(0))
    return { problem: 'is not a text file (it holds NUL bytes); a spec is YAML or JSON text' };
  return { text: buffer.toString('utf8') };
}

/** The syntax problems worth showing: each tab-indented line, else duplicate keys and the first error. */
function syntaxProblems(name: string, text: string, doc: Document, lines: LineCounter): SpecProblem[] {
  const tabs = doc.errors.filter((e) => e.code === 'TAB_AS_INDENT');
  if (tabs.length > 0) {
    // The parser stops reporting tabs once it has lost its place: find every tab-indented line.
    const indented = text.split('\n').flatMap((l, i) => (/^ *\t/.test(l) ? [i + 1] : []));
    const tabLines = [...new Set([...tabs.map((e) => lines.linePos(e.pos[0]).line), ...indented])].sort(
      (a, b) => a - b,
    );
    return tabLines.map((line) => ({
      file: name,
      path: '(syntax)',
      line,
      column: 1,
      message: 'a tab indents this line; YAML indents with spaces only',
    }));
  }
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  const others = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  const shown = [...duplicates, ...others.slice(0, 1)];
  const more = others.length - 1;
  return shown.map((err) => {
    const pos = lines.linePos(err.pos[0]);
    const tail =
      err.code !== 'DUPLICATE_KEY' && more > 0
        ? ` (fix this first: the ${more} later syntax error${more === 1 ? '' : 's'} may follow from it)`
        : '';
    return {
      file: name,
      path: '(syntax)',
      line: pos.line,
      column: pos.col,
      message: `malformed YAML/JSON: ${err.message.split('\n')[0]}${tail}`,
    };
  });
}

/**
 * Parses kept by file and text, for a command that loads the platform twice (`genesis tenant
 * plan`, with and without the tenant's file) and parses a large spec once. Callers get their own
 * copy of the data; the document and line index are only read. The caller owns it, so a parse
 * (for a 1,000-tenant spec, some 100 MB of syntax tree) lives no longer than the command needs.
 */
export type ParseCache = Map<string, { readonly text: string; readonly parsed: ParsedFile }>;

/** Parses YAML (JSON is YAML) and reports read and syntax problems with positions. */
export function parseFile(file: string, problems: SpecProblem[], cache?: ParseCache): ParsedFile | undefined {
  const name = displayName(file);
  const read = readSpecText(file);
  if ('problem' in read) {
    problems.push({ file: name, path: '(file)', message: read.problem });
    return undefined;
  }
  const last = cache?.get(file);
  if (last && last.text === read.text && last.parsed.file === name)
    return { ...last.parsed, data: structuredClone(last.parsed.data) };
  const parsed = parseText(name, read.text, problems);
  if (parsed && cache)
    cache.set(file, { text: read.text, parsed: { ...parsed, data: structuredClone(parsed.data) } });
  return parsed;
}

function parseText(name: string, text: string, problems: SpecProblem[]): ParsedFile | undefined {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    merge: false,
  });
  if (doc.errors.length > 0) {
    problems.push(...syntaxProblems(name, text, doc, lines));
    return undefined;
  }
  try {
    return { file: name, doc, lines, data: doc.toJS({ maxAliasCount: 100 }) };
  } catch (e) {
    // yaml refuses documents whose aliases expand too far (a "billion laughs" bomb).
    problems.push({
      file: name,
      path: '(syntax)',
      message: `malformed YAML/JSON: ${(e as Error).message.split('\n')[0]}`,
    });
    return undefined;
  }
}

/** Finds the line of the deepest node that exists along `p`. */
export function position(parsed: ParsedFile, p: IssuePath): { line?: number; column?: number } {
  let node: unknown = parsed.doc.contents;
  for (const seg of p) {
    if (isMap(node)) {
      const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) break;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      node = node.items[seg];
    } else break;
  }
  const range = (node as Node | undefined)?.range;
  if (!range) return {};
  const pos = parsed.lines.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

export function problem(parsed: ParsedFile, p: IssuePath, message: string): SpecProblem {
  return { file: parsed.file, path: formatPath(p), message, ...position(parsed, p) };
}
