/** The schema translation alone (no upstream files needed): what is closed, what stays open. */
import { Ajv } from 'ajv';
import { goPattern, strictSchema } from '../../policies/conformance';

const validator = (schema: unknown) =>
  new Ajv({ strict: false, allErrors: true }).compile(strictSchema(schema));

test('objects with properties are closed; maps (additionalProperties) stay maps', () => {
  const v = validator({
    type: 'object',
    properties: { a: { type: 'string' }, m: { type: 'object', additionalProperties: { type: 'integer' } } },
  });
  expect(v({ a: 'x', m: { any: 1 } })).toBe(true);
  expect(v({ a: 'x', b: 1 })).toBe(false);
  expect(v({ m: { any: 'no' } })).toBe(false);
});

test('x-kubernetes-preserve-unknown-fields keeps an object open', () => {
  const v = validator({
    type: 'object',
    properties: {
      raw: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: { k: { type: 'string' } },
      },
    },
  });
  expect(v({ raw: { k: 'x', anything: { deep: true } } })).toBe(true);
  expect(v({ raw: { k: 1 } })).toBe(false);
});

test('a properties list inside oneOf/anyOf/allOf/not only checks values; the enclosing object decides what exists', () => {
  const schema = {
    type: 'object',
    properties: { a: { type: 'object' }, b: { type: 'object' }, c: { type: 'string' } },
    oneOf: [
      { properties: { a: {} }, required: ['a'] },
      { properties: { b: {} }, required: ['b'] },
    ],
  };
  const v = validator(schema);
  expect(v({ a: {}, c: 'x' })).toBe(true);
  expect(v({ b: {} })).toBe(true);
  expect(v({ a: {}, b: {} })).toBe(false);
  expect(v({ c: 'x' })).toBe(false);
  expect(v({ a: {}, d: 1 })).toBe(false);
});

test('int-or-string, nullable and embedded resources follow the API server', () => {
  const v = validator({
    type: 'object',
    properties: {
      port: { 'x-kubernetes-int-or-string': true },
      note: { type: 'string', nullable: true },
      obj: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        'x-kubernetes-preserve-unknown-fields': true,
      },
    },
  });
  expect(v({ port: 8080, note: null })).toBe(true);
  expect(v({ port: 'http' })).toBe(true);
  expect(v({ port: 1.5 })).toBe(false);
  expect(v({ port: true })).toBe(false);
  expect(v({ obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} } })).toBe(true);
  expect(v({ obj: { kind: 'ConfigMap' } })).toBe(false);
});

test('CEL rules and formats are dropped rather than misread; $refs into definitions are rebased', () => {
  const out = strictSchema(
    {
      type: 'object',
      'x-kubernetes-validations': [{ rule: 'self.a < self.b' }],
      properties: { a: { type: 'integer', format: 'int32' }, r: { $ref: '#/definitions/X' } },
    },
    { refBase: 'k8s' },
  );
  expect(out).toEqual({
    type: 'object',
    properties: { a: { type: 'integer' }, r: { $ref: 'k8s#/definitions/X' } },
    additionalProperties: false,
  });
});

test("patterns are Go regular expressions: a leading (?i) makes the match case-insensitive, as the API server's does", () => {
  const v = new Ajv({ strict: false, code: { regExp: goPattern } }).compile(
    strictSchema({
      type: 'object',
      properties: { kind: { type: 'string', pattern: '^(?i)[a-z]([-a-z0-9]*[a-z0-9])?$' } },
    }),
  );
  expect(v({ kind: 'MultiKueueConfig' })).toBe(true);
  expect(v({ kind: 'multikueueconfig' })).toBe(true);
  expect(v({ kind: 'Multi Kueue' })).toBe(false);
  expect(goPattern('^[a-z]$', 'u').flags).toBe('u');
});
