/**
 * The reviewed allow-list of resource types and kinds (policies/known-types.yaml): every
 * CloudFormation type and Kubernetes kind the policy engine knows, each with the reason.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const Entry = z.object({ reason: z.string().min(10) }).strict();
const File = z
  .object({
    cloudformation: z.array(
      Entry.extend({ type: z.string().regex(/^[A-Za-z0-9]+::[A-Za-z0-9]+(::[A-Za-z0-9]+)?$/) }).strict(),
    ),
    kubernetes: z.array(
      Entry.extend({ apiGroup: z.string(), kind: z.string().regex(/^[A-Z][A-Za-z0-9]*$/) }).strict(),
    ),
  })
  .strict();

export type KnownTypes = z.infer<typeof File>;

export const KNOWN_TYPES_FILE: string = path.join(__dirname, '..', 'known-types.yaml');

/** Parses and validates the allow-list; throws on a malformed file or a duplicate entry. */
export function parseKnownTypes(text: string): KnownTypes {
  const known = File.parse(parse(text));
  const keys = [
    ...known.cloudformation.map((e) => e.type),
    ...known.kubernetes.map((e) => `${e.apiGroup}/${e.kind}`),
  ];
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup) throw new Error(`${KNOWN_TYPES_FILE}: ${dup} is listed twice`);
  return known;
}

let cached: { types: ReadonlySet<string>; kinds: ReadonlySet<string> } | undefined;

/** CloudFormation types and `<group>/<Kind>` keys of the allow-list. */
export function knownTypes(): { types: ReadonlySet<string>; kinds: ReadonlySet<string> } {
  if (!cached) {
    const known = parseKnownTypes(fs.readFileSync(KNOWN_TYPES_FILE, 'utf8'));
    cached = {
      types: new Set(known.cloudformation.map((e) => e.type)),
      kinds: new Set(known.kubernetes.map((e) => `${e.apiGroup}/${e.kind}`)),
    };
  }
  return cached;
}

/** The API group of an apiVersion ('' for the core group). */
export const apiGroupOf = (apiVersion: string): string =>
  apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
