/** `genesis schema`: the JSON Schema of spec files, generated from the zod model. */
import { z } from 'zod';
import { Platform, TenantSpec } from '../../infra/model';
import { stableJson } from '../../infra/util/stable-json';
import { EXIT_OK, parseOptions, UsageError, type Io } from '../usage';

export const HELP = `genesis schema [--kind platform|tenant]

Prints the JSON Schema (draft 2020-12) of a platform spec, or of a partner tenant file with
--kind tenant. Point your editor's YAML language server at it for completion and checking.`;

export function jsonSchema(kind: 'platform' | 'tenant'): Record<string, unknown> {
  const schema = z.toJSONSchema(kind === 'platform' ? Platform : TenantSpec, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: `https://genesis.platform/schemas/v1/${kind}.json`,
    title: kind === 'platform' ? 'Genesis Platform spec' : 'Genesis Platform tenant spec',
  };
}

export function run(args: string[], io: Io): number {
  const { values } = parseOptions(args, { kind: { type: 'string' } });
  const kind = values.kind ?? 'platform';
  if (kind !== 'platform' && kind !== 'tenant')
    throw new UsageError(`--kind must be "platform" or "tenant", not "${kind}"`);
  const schema = jsonSchema(kind);
  io.result?.(schema);
  io.out(stableJson(schema));
  return EXIT_OK;
}
