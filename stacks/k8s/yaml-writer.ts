/**
 * The manifests' YAML writer: block YAML for YAML 1.1 readers (kubectl, client-go), without line
 * folding, as the `yaml` package writes it (`stringify` with version 1.1 and no line width).
 *
 * Why not `yaml.stringify` alone: it builds a document tree per object, and at a thousand tenants
 * that was 7 s of `genesis synth` (half the Kubernetes step). Manifests are plain JSON data in
 * block style, so the collections are written here and every scalar's text still comes from
 * `yaml` (once per distinct value), except strings that no YAML 1.1 reader takes for anything
 * but a string (letters, digits, `_`, `.`, `/` and `-`, not starting with a digit, `.` or `-`,
 * and neither a 1.1 boolean or null word nor an exponent such as `e0`; as values, also with
 * colons between those characters, as in a service account's user name), which are written as
 * they are. Anything else (data that is not plain JSON, a multi-line scalar, a key YAML would
 * write as an explicit `? ` key) is written by `yaml` whole. test/k8s/yaml-writer.property.test.ts
 * holds both paths to the bytes of `yaml.stringify` on generated objects, and holds what is
 * written to read back as the objects.
 *
 * Two differences from `yaml.stringify`, on purpose, each where its YAML would read back as other
 * data than was written:
 * - a `<<` key is quoted: written plain, a YAML 1.1 reader takes it for a merge key;
 * - a multi-line string that starts, after any blank lines, with a space or a tab is
 *   double-quoted: `yaml.stringify` writes some of them (" \n", "\n \t\n") as block scalars
 *   without the indentation indicator they need, which read back without those spaces, or not at
 *   all.
 */
import { Document, isScalar, Scalar, stringify, visit } from 'yaml';
import { isJsonData } from '../../infra/util/json-data';

const OPTIONS = { version: '1.1', lineWidth: 0, minContentWidth: 0 } as const;

/**
 * A multi-line string whose first line with text starts with a space or a tab, or whose leading
 * blank lines hold one: a block scalar of it needs an indentation indicator (see the file comment).
 */
const INDENTED_START = /^\n*[ \t]/;
const indentedStart = (v: unknown): boolean =>
  typeof v === 'string' && v.includes('\n') && INDENTED_START.test(v);

/**
 * `yaml`'s writing of a whole value, with `<<` keys written `!!str "<<"` (`yaml` tags such a key
 * as a merge key, which it writes plain whatever the style asked) and multi-line strings that
 * start indented double-quoted.
 */
function yamlWhole(o: unknown): string {
  const doc = new Document(o, { version: '1.1' });
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') {
        pair.key.tag = 'tag:yaml.org,2002:str';
        pair.key.type = Scalar.QUOTE_DOUBLE;
      }
    },
    Scalar(_, node) {
      if (indentedStart(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}

/** Strings every YAML 1.1 reader takes as strings when written plain (see the file comment). */
const PLAIN = /^[A-Za-z_/][\w./-]*$/;
/**
 * As a value (not a key), the same, and with colons inside, each followed by another of those
 * characters: `system:serviceaccount:ns:name` (a colon is an indicator only before a space or at
 * the end).
 */
const PLAIN_VALUE = /^[A-Za-z_/][\w./-]*(?::[\w./-]+)*$/;
// 1.1 booleans and nulls in any case, and exponents without a mantissa (`e0` is a float to `yaml`)
const WORDS = /^(?:y|yes|n|no|true|false|on|off|null|e[-+]?\d+)$/i;

/** Scalar texts `yaml` gave, by value; null for a value it writes on more than one line. */
const valueTexts = new Map<unknown, string | null>();
const keyTexts = new Map<string, string | null>();
const topKeyTexts = new Map<string, string | null>();
/** Longer keys go through `yaml`, which writes a key of over 1,024 characters as an explicit key. */
const KEY_PLAIN_MAX = 128;
const CACHE_LIMIT = 200_000;

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** A scalar as a map value or a sequence item; undefined when it takes more than one line. */
function scalarText(v: string | number | boolean | null): string | undefined {
  if (typeof v === 'string' && PLAIN_VALUE.test(v) && !WORDS.test(v)) return v;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  let text = valueTexts.get(v);
  if (text === undefined) {
    const written = stringify({ a: v }, OPTIONS); // "a: <text>\n"
    const body = written.slice(3, -1);
    text = remember(valueTexts, v, written.startsWith('a: ') && !body.includes('\n') ? body : null);
  }
  return text ?? undefined;
}

/**
 * A map key; undefined when YAML writes it as an explicit `? ` key. A key at the start of a line
 * (`top`) may need quotes that an indented one does not (`---` and `...` end a document there).
 */
function keyText(k: string, top: boolean): string | undefined {
  if (k.length <= KEY_PLAIN_MAX && PLAIN.test(k) && !WORDS.test(k)) return k;
  if (k === '<<') return '"<<"';
  const cache = top ? topKeyTexts : keyTexts;
  let text = cache.get(k);
  if (text === undefined) {
    // "<text>: null\n", or "a:\n  <text>: null\n" for a key below another
    const written = stringify(top ? { [k]: null } : { a: { [k]: null } }, OPTIONS);
    const body = written.slice(top ? 0 : 'a:\n  '.length, -': null\n'.length);
    const ok = written.endsWith(': null\n') && (top || written.startsWith('a:\n  ')) && !body.includes('\n');
    text = remember(cache, k, ok ? body : null);
  }
  return text ?? undefined;
}

/** Thrown inside the writer when a value must be written by `yaml` whole. */
class NotSimple extends Error {}

const isEmpty = (v: object): boolean => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

/** A value after `key:` or `-`: its text on the same line (with the space) or its lines below. */
function valueLines(v: unknown, indent: string, lines: string[], head: string): void {
  if (v === null || typeof v !== 'object') {
    const text = scalarText(v as string | number | boolean | null);
    if (text === undefined) throw new NotSimple();
    lines.push(`${head} ${text}`);
  } else if (isEmpty(v)) {
    lines.push(`${head} ${Array.isArray(v) ? '[]' : '{}'}`);
  } else {
    lines.push(head);
    collectionLines(v, `${indent}  `, lines);
  }
}

/** A non-empty map or sequence, each line at `indent`. */
function collectionLines(v: object, indent: string, lines: string[]): void {
  if (Array.isArray(v)) {
    for (const item of v as unknown[]) {
      if (item !== null && typeof item === 'object' && !isEmpty(item)) {
        // `- ` takes the place of the first line's indentation: "- a: 1" / "- - x"
        const start = lines.length;
        collectionLines(item, `${indent}  `, lines);
        lines[start] = `${indent}- ${lines[start].slice(indent.length + 2)}`;
      } else valueLines(item, indent, lines, `${indent}-`);
    }
    return;
  }
  for (const key of Object.keys(v)) {
    const text = keyText(key, indent === '');
    if (text === undefined) throw new NotSimple();
    valueLines((v as Record<string, unknown>)[key], indent, lines, `${indent}${text}:`);
  }
}

/** One object's YAML document body, as `yaml.stringify` writes it (see the file comment). */
export function writeYaml(o: unknown): string {
  if (o !== null && typeof o === 'object' && !isEmpty(o) && !isJsonData(o)) return yamlWhole(o);
  return writePlainYaml(o);
}

/** writeYaml of a value the caller has found to be plain JSON data (`isJsonData`), without looking again. */
export function writePlainYaml(o: unknown): string {
  if (o === null || typeof o !== 'object' || isEmpty(o)) return yamlWhole(o);
  const lines: string[] = [];
  try {
    collectionLines(o, '', lines);
  } catch (e) {
    if (e instanceof NotSimple) return yamlWhole(o);
    throw e;
  }
  lines.push('');
  return lines.join('\n');
}
