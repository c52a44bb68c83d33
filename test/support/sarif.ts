/** A validator of SARIF 2.1.0 (the schema jest-sarif ships), for the commands that write SARIF. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const SCHEMA = path.join(
  __dirname,
  '../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json',
);

export function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
  // The file is a draft-04 schema by its header; its keywords are those of draft-07 but for `id`.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  // unicodeRegExp off: the schema's language pattern is not valid as a unicode regular expression.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
