/** The embedded default spec as plain data, for tests that derive variants from it. */
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_SPEC } from '../../infra/model';

export function defaultSpecData(): Record<string, any> {
  return parse(fs.readFileSync(DEFAULT_SPEC, 'utf8'));
}
