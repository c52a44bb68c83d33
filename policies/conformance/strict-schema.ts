/**
 * Turns Kubernetes OpenAPI definitions and CRD openAPIV3Schemas into strict JSON Schema for Ajv.
 *
 * Why our own code: the tool that does this for Kubernetes (kubeconform `-strict`) is a Go binary
 * we cannot install here, and no npm package translates the `x-kubernetes-*` extensions. The rules
 * follow the API server's structural-schema semantics:
 *
 * - unknown fields are errors: an object schema with `properties` and no `additionalProperties`
 *   gets `additionalProperties: false` (what the API server's pruning + strict field validation
 *   amount to), unless it says `x-kubernetes-preserve-unknown-fields: true`;
 * - a schema inside `oneOf`/`anyOf`/`allOf`/`not` only adds value checks to fields the enclosing
 *   schema already declares, so nothing in such a branch is closed (Cilium's `spec.oneOf` requires
 *   `endpointSelector` or `nodeSelector` and would otherwise reject every other field);
 * - `x-kubernetes-int-or-string` becomes integer-or-string, `nullable` admits null,
 *   `x-kubernetes-embedded-resource` requires apiVersion/kind/metadata like the API server;
 * - other `x-kubernetes-*` keys (list types, CEL validations) and `format` are dropped: Ajv cannot
 *   evaluate CEL, and Kubernetes formats (int32, int-or-string) are not JSON Schema formats.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type SchemaNode = { [k: string]: Json };

const isObject = (v: unknown): v is SchemaNode => typeof v === 'object' && v !== null && !Array.isArray(v);

const COMBINATORS = ['oneOf', 'anyOf', 'allOf'] as const;

export interface StrictOptions {
  /** Prefix for `$ref`s into the definitions document (Kubernetes definitions only). */
  readonly refBase?: string;
}

/** Strict copy of one schema node. `inBranch`: inside a combinator, where nothing is closed. */
export function strictSchema(node: unknown, options: StrictOptions = {}, inBranch = false): SchemaNode {
  if (!isObject(node)) return {};
  const out: SchemaNode = {};
  const preserve = node['x-kubernetes-preserve-unknown-fields'] === true;
  for (const [key, value] of Object.entries(node)) {
    if (
      key.startsWith('x-kubernetes-') ||
      key === 'format' ||
      key === 'description' ||
      key === 'nullable' ||
      key === 'default' ||
      key === 'example'
    )
      continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.startsWith('#/definitions/') && options.refBase ? `${options.refBase}${value}` : value;
    } else if (key === 'properties' && isObject(value)) {
      const props: SchemaNode = {};
      for (const [name, sub] of Object.entries(value)) props[name] = strictSchema(sub, options, inBranch);
      out.properties = props;
    } else if ((key === 'items' || key === 'additionalProperties' || key === 'not') && isObject(value)) {
      out[key] = strictSchema(value, options, inBranch || key === 'not');
    } else if ((COMBINATORS as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map((branch) => strictSchema(branch, options, true));
    } else {
      out[key] = value as Json;
    }
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [...((out.anyOf as Json[] | undefined) ?? []), { type: 'integer' }, { type: 'string' }];
  }
  if (node['x-kubernetes-embedded-resource'] === true) {
    out.required = [
      ...new Set([...((out.required as string[] | undefined) ?? []), 'apiVersion', 'kind', 'metadata']),
    ];
  }
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const closes = !inBranch && !preserve && isObject(out.properties) && out.additionalProperties === undefined;
  if (closes) out.additionalProperties = false;
  if (preserve && out.additionalProperties === false) delete out.additionalProperties;
  return out;
}

/** Strict copies of a whole definitions map (Kubernetes `_definitions.json`). */
export function strictDefinitions(
  definitions: Record<string, unknown>,
  options: StrictOptions = {},
): Record<string, SchemaNode> {
  const out: Record<string, SchemaNode> = {};
  for (const [name, def] of Object.entries(definitions)) out[name] = strictSchema(def, options);
  return out;
}

/**
 * The API server checks `pattern` with Go's regexp (RE2), whose leading inline flags, such as the
 * `(?i)` of Kueue's AdmissionCheck `parameters.kind`, JavaScript does not parse. Ajv compiles
 * patterns through this: leading `i`, `m` and `s` flags (at the start, or after `^`) become RegExp
 * flags; anything else is passed on as written (and fails loudly if JavaScript cannot read it).
 */
export function goPattern(pattern: string, flags: string): RegExp {
  // At the start, or just after the anchor (`^(?i)...`), the flags apply to the whole pattern.
  const inline = /^(\^?)\(\?([ims]+)\)/.exec(pattern);
  if (!inline) return new RegExp(pattern, flags);
  const rest = inline[1] + pattern.slice(inline[0].length);
  return new RegExp(rest, [...new Set(flags + inline[2])].join(''));
}
goPattern.code = 'goPattern';
