import fc from 'fast-check';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** Options of {@link schemaArbitrary}. */
export interface SchemaArbitraryOptions {
  /** A value for `format: uri` strings (e.g. a local webhook receiver). */
  uri?: fc.Arbitrary<string>;
  /** Values to use for properties of these names (ids the server knows, say). */
  byName?: Record<string, fc.Arbitrary<unknown>>;
}

const MAX_ARRAY = 4;
const MAX_DEPTH = 6;

/** A string fitting `min`..`max` characters (capped, so arbitrary schemas stay cheap to send). */
function text(min = 0, max = 40): fc.Arbitrary<string> {
  return fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 40)) });
}

function fromPattern(pattern: string): fc.Arbitrary<string> | null {
  try {
    return fc.stringMatching(new RegExp(pattern)).filter((s) => s.length <= 512);
  } catch {
    return null;
  }
}

function stringArbitrary(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<string> {
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = (schema.maxLength as number | undefined) ?? 40;
  switch (schema.format) {
    case 'date-time':
      return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'email':
      return fc.emailAddress().filter((e) => e.length <= max);
    case 'uri':
      return options.uri ?? fc.webUrl();
    case 'ipv4':
      return fc.ipV4();
    case 'ipv6':
      return fc.ipV6();
    case 'cidrv4':
      return fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, bits]) => `${ip}/${bits}`);
    case 'cidrv6':
      return fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).map(([ip, bits]) => `${ip}/${bits}`);
  }
  const patterned = typeof schema.pattern === 'string' ? fromPattern(schema.pattern) : null;
  if (patterned) return patterned.filter((s) => s.length >= min && s.length <= (schema.maxLength as number | undefined ?? Infinity));
  return text(min, max);
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = (schema.minimum as number | undefined) ?? (schema.exclusiveMinimum !== undefined ? (schema.exclusiveMinimum as number) + (integer ? 1 : 0.01) : -1000);
  const max = (schema.maximum as number | undefined) ?? (schema.exclusiveMaximum !== undefined ? (schema.exclusiveMaximum as number) - (integer ? 1 : 0.01) : 100_000);
  if (integer) return fc.integer({ min: Math.ceil(Math.max(min, Number.MIN_SAFE_INTEGER)), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) });
  // Two decimals at most: money fields refuse more, and nothing in the API needs them.
  return fc.integer({ min: Math.ceil(min * 100), max: Math.floor(max * 100) }).map((cents) => cents / 100);
}

/**
 * A fast-check arbitrary of values that a JSON Schema (as zod's `toJSONSchema` writes it)
 * accepts — "valid-ish": formats, patterns, enums, bounds and required properties are
 * honoured, refinements the schema cannot express are not. Good for reaching a handler
 * instead of stopping at validation.
 */
export function jsonSchemaArbitrary(root: JsonSchema, options: SchemaArbitraryOptions = {}): fc.Arbitrary<unknown> {
  const defs = (root.$defs ?? {}) as Record<string, JsonSchema>;
  const build = (schema: JsonSchema, depth: number): fc.Arbitrary<unknown> => {
    if (depth > MAX_DEPTH) return fc.constant(null);
    if (typeof schema.$ref === 'string') {
      const target = defs[schema.$ref.replace('#/$defs/', '')];
      return target ? build(target, depth + 1) : fc.jsonValue({ maxDepth: 1 });
    }
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
    const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
    if (alternatives?.length) return fc.oneof(...alternatives.map((s) => build(s, depth + 1)));
    if (Array.isArray(schema.allOf) && schema.allOf.length) return build(schema.allOf[0] as JsonSchema, depth + 1);
    if (Array.isArray(schema.type)) return fc.oneof(...(schema.type as string[]).map((type) => build({ ...schema, type }, depth)));
    switch (schema.type) {
      case 'string':
        return stringArbitrary(schema, options);
      case 'integer':
        return numberArbitrary(schema, true);
      case 'number':
        return numberArbitrary(schema, false);
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array': {
        const items = schema.items ? build(schema.items as JsonSchema, depth + 1) : fc.jsonValue({ maxDepth: 1 });
        const minLength = (schema.minItems as number | undefined) ?? 0;
        return fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min((schema.maxItems as number | undefined) ?? MAX_ARRAY, MAX_ARRAY)) });
      }
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
        const required = new Set((schema.required ?? []) as string[]);
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [name, property] of Object.entries(properties)) record[name] = options.byName?.[name] ?? build(property, depth + 1);
        if (Object.keys(record).length === 0) {
          const values = schema.additionalProperties && typeof schema.additionalProperties === 'object' ? build(schema.additionalProperties as JsonSchema, depth + 1) : fc.jsonValue({ maxDepth: 1 });
          return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), values, { maxKeys: 3 });
        }
        return fc.record(record, { requiredKeys: [...required].filter((name) => name in record) });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  };
  return build(root, 0);
}

/** {@link jsonSchemaArbitrary} of a zod schema, as a caller writes it (its input form). */
export function schemaArbitrary(schema: z.ZodType, options: SchemaArbitraryOptions = {}): fc.Arbitrary<unknown> {
  return jsonSchemaArbitrary(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, options);
}

/** The JSON Schema of each property of a zod object (query strings and headers are built from these). */
export function propertySchemas(schema: z.ZodObject): Record<string, JsonSchema> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const defs = json.$defs;
  const out: Record<string, JsonSchema> = {};
  for (const [name, property] of Object.entries((json.properties ?? {}) as Record<string, JsonSchema>)) out[name] = { ...property, $defs: defs };
  return out;
}
