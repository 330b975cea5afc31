import fc from 'fast-check';
import { anyJson, NASTY_DATES, NASTY_NUMBERS, NASTY_STRINGS } from './nasty';

/**
 * fast-check arbitraries read from the OpenAPI document's JSON schemas: `validish` follows a
 * schema (types, enums, formats, bounds, required) so a request gets past validation and into
 * the code behind it; `invalid` breaks it in one place (a wrong type, a dropped required field,
 * an extra field, a value past a bound, a nasty string) so the validation itself is tried.
 */

export type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

/** Values from the account under test, so valid requests name things that exist. */
export interface Hints {
  uuids: string[];
  emails: string[];
}

export class SchemaArbitraries {
  constructor(
    private readonly components: Record<string, Schema>,
    private readonly hints: Hints,
  ) {}

  resolve(schema: Schema): Schema {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = this.components[name];
    if (!target) throw new Error(`fuzz: unresolved $ref ${schema.$ref}`);
    return this.resolve(target);
  }

  /** A value the schema accepts (mostly: an email's domain or a time zone may still be refused). */
  validish(input: Schema, name = ''): fc.Arbitrary<unknown> {
    const schema = this.resolve(input);
    const choices = schema.anyOf ?? schema.oneOf;
    if (choices) return fc.oneof(...choices.map((s) => this.validish(s, name)));
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'object'];
    const nonNull = types.filter((t) => t !== 'null');
    const arbs = nonNull.map((t) => this.ofType(t, schema, name));
    if (types.includes('null')) arbs.push(fc.constant(null));
    return arbs.length === 1 ? arbs[0] : fc.oneof(...arbs);
  }

  /** A value the schema refuses, broken in one place. */
  invalid(input: Schema, name = ''): fc.Arbitrary<unknown> {
    const schema = this.resolve(input);
    const options: fc.Arbitrary<unknown>[] = [this.wrongType(schema)];
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (schema.properties) options.push(this.brokenObject(schema));
    if (types.includes('string')) options.push(this.brokenString(schema));
    if (types.includes('integer') || types.includes('number')) options.push(this.brokenNumber(schema));
    if (types.includes('array') && schema.items) options.push(this.brokenArray(schema, name));
    return fc.oneof(...options);
  }

  private ofType(type: string, schema: Schema, name: string): fc.Arbitrary<unknown> {
    switch (type) {
      case 'string':
        return this.string(schema, name);
      case 'integer':
      case 'number': {
        const min = schema.exclusiveMinimum ?? schema.minimum ?? 0;
        const max = schema.maximum ?? min + 1_000;
        // Small values mostly: a count of 10,000 invites would make every later snapshot slow.
        const near = Math.min(max, min + 20);
        const integer = fc.integer({ min: Math.ceil(min), max: Math.floor(near) });
        const edges = [schema.minimum, max <= 1_000 ? max : undefined].filter(
          (v): v is number => v !== undefined,
        );
        const base = edges.length
          ? fc.oneof({ weight: 4, arbitrary: integer }, fc.constantFrom(...edges))
          : integer;
        if (type === 'integer') return base.filter((v) => schema.exclusiveMinimum === undefined || v > min);
        return fc.oneof(
          base.filter((v) => schema.exclusiveMinimum === undefined || v > min),
          fc.double({ min: Math.max(min, 0.001), max: near, noNaN: true }),
        );
      }
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const minItems = schema.minItems ?? 0;
        const maxItems = Math.min(schema.maxItems ?? 5, minItems + 3);
        return fc.array(this.validish(schema.items ?? {}, name), {
          minLength: minItems,
          maxLength: maxItems,
        });
      }
      case 'object':
      default:
        return this.object(schema);
    }
  }

  private object(schema: Schema): fc.Arbitrary<unknown> {
    const properties = schema.properties ?? {};
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, sub] of Object.entries(properties)) record[key] = this.validish(sub, key);
    return fc.record(record, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
  }

  private string(schema: Schema, name: string): fc.Arbitrary<string> {
    const maxLength = Math.min(schema.maxLength ?? 40, 40);
    const minLength = Math.min(schema.minLength ?? 0, maxLength);
    switch (schema.format) {
      case 'uuid':
        return this.hints.uuids.length
          ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...this.hints.uuids) }, fc.uuid({ version: 7 }))
          : fc.uuid({ version: 7 });
      case 'email':
        return fc.oneof(
          fc.constantFrom(
            'ada@example.com',
            'grace.hopper+tag@example.org',
            'Bob@EXAMPLE.com',
            ...this.hints.emails,
          ),
          fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254)),
        );
      case 'date-time':
        return fc.oneof(
          // Mostly within the next few weeks, where campaigns live; sometimes far or past.
          fc
            .integer({ min: -3_600, max: 60 * 86_400 })
            .map((s) => new Date(Date.now() + s * 1000).toISOString()),
          fc
            .date({
              min: new Date('2000-01-01T00:00:00Z'),
              max: new Date('9999-12-31T23:59:59Z'),
              noInvalidDate: true,
            })
            .map((d) => d.toISOString()),
          fc.constantFrom('2030-06-01T12:00:00+02:00', '9999-12-31T23:59:59.999Z'),
        );
    }
    if (schema.pattern)
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((s) => s.length <= (schema.maxLength ?? Infinity));
    if (/timeZone/i.test(name))
      return fc.constantFrom('Europe/Berlin', 'UTC', 'America/New_York', 'Asia/Kolkata');
    if (name === 'from' || name === 'to')
      return fc
        .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    if (/url/i.test(name))
      return fc.oneof(
        fc.webUrl({ validSchemes: ['https'] }).filter((u) => u.length <= maxLength * 50),
        fc.constant('https://shop.example.com/redeem?x=1'),
      );
    return fc.string({
      unit: 'grapheme',
      minLength: Math.max(minLength, 1),
      maxLength: Math.max(maxLength, 1),
    });
  }

  private wrongType(schema: Schema): fc.Arbitrary<unknown> {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'object'];
    return anyJson.filter(
      (v) => !types.includes(jsonType(v)) && !(types.includes('number') && jsonType(v) === 'integer'),
    );
  }

  private brokenObject(schema: Schema): fc.Arbitrary<unknown> {
    const properties = schema.properties ?? {};
    const keys = Object.keys(properties);
    const required = schema.required ?? [];
    const valid = this.object(schema) as fc.Arbitrary<Record<string, unknown>>;
    const options: fc.Arbitrary<unknown>[] = [
      // An extra field: additionalProperties is false everywhere, so it must be refused.
      fc
        .tuple(valid, fc.constantFrom('extra', '__proto__', 'constructor', 'accountId', 'id', ''), anyJson)
        .map(([v, k, x]) =>
          JSON.parse(
            JSON.stringify(v).replace(
              /^\{/,
              `{${JSON.stringify(k)}:${JSON.stringify(x) ?? 'null'}${Object.keys(v).length ? ',' : ''}`,
            ),
          ),
        ),
    ];
    if (required.length)
      options.push(
        fc.tuple(valid, fc.constantFrom(...required)).map(([v, k]) => {
          const copy = { ...v };
          delete copy[k];
          return copy;
        }),
      );
    if (keys.length)
      options.push(
        fc
          .constantFrom(...keys)
          .chain((k) => fc.tuple(valid, fc.constant(k), this.invalid(properties[k], k)))
          .map(([v, k, bad]) => ({ ...v, [k]: bad })),
      );
    return fc.oneof(...options);
  }

  private brokenString(schema: Schema): fc.Arbitrary<unknown> {
    const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(...NASTY_STRINGS)];
    if (schema.maxLength !== undefined) options.push(fc.constant('x'.repeat(schema.maxLength + 1)));
    if (schema.format === 'date-time') options.push(fc.constantFrom(...NASTY_DATES));
    if (schema.format === 'email')
      options.push(
        fc.constantFrom('a@', '@b.co', 'a@b', 'a b@c.de', `${'a'.repeat(250)}@b.co`, 'a@b.co\r\nBcc: x@y.z'),
      );
    if (schema.format === 'uuid')
      options.push(fc.constantFrom('0', 'not-a-uuid', '%ff', `${'0'.repeat(36)}x`));
    return fc.oneof(...options);
  }

  private brokenNumber(schema: Schema): fc.Arbitrary<unknown> {
    const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(...NASTY_NUMBERS)];
    if (schema.maximum !== undefined) options.push(fc.constant(schema.maximum + 1));
    if (schema.minimum !== undefined) options.push(fc.constant(schema.minimum - 1));
    if (schema.exclusiveMinimum !== undefined) options.push(fc.constant(schema.exclusiveMinimum));
    options.push(fc.constantFrom('1', '1e3', '0x10', ' 1'));
    return fc.oneof(...options);
  }

  private brokenArray(schema: Schema, name: string): fc.Arbitrary<unknown> {
    const item = this.validish(schema.items!, name);
    const options: fc.Arbitrary<unknown>[] = [
      fc.array(this.invalid(schema.items!, name), { minLength: 1, maxLength: 3 }),
    ];
    if ((schema.minItems ?? 0) > 0) options.push(fc.constant([]));
    if (schema.maxItems !== undefined && schema.maxItems <= 1_000)
      options.push(item.map((v) => Array.from({ length: schema.maxItems! + 1 }, () => v)));
    return fc.oneof(...options);
  }
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
