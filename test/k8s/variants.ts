/** Variants of the default spec, validated by the model like any spec. */
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { DEFAULT_SPEC, parsePlatform, type Platform } from '../../infra/model';
import { NOW } from './support';

export function defaultSpecInput(): any {
  return parse(fs.readFileSync(DEFAULT_SPEC, 'utf8'));
}

export function variant(edit: (spec: any) => void): Platform {
  const spec = defaultSpecInput();
  edit(spec);
  return parsePlatform(spec, { now: NOW });
}
