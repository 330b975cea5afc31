import fc from 'fast-check';
import { encodeLoosely, NASTY_SEGMENTS, NASTY_STRINGS, RAW_BODIES } from './nasty';
import { type Hints, type Schema, SchemaArbitraries } from './schema-arbitraries';

/** One operation of the OpenAPI document, as the fuzzer needs it. */
export interface Operation {
  operationId: string;
  method: string;
  template: string;
  pathParams: { name: string; schema: Schema }[];
  queryParams: { name: string; schema: Schema; required: boolean }[];
  headerParams: { name: string; schema: Schema }[];
  body?: { mediaType: string; schema: Schema };
  /** Public (`security: []`), Postmark's basic auth, or an API key. */
  auth: 'none' | 'basic' | 'bearer';
}

/** A request as sent, and as a failure prints it: it reproduces with curl. */
export interface FuzzRequest {
  method: string;
  /** Path and query string, raw: percent-escapes exactly as generated. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The account that owns the ids in the path, when they are real ones. */
  pathOwner?: 'own' | 'other';
}

type Document = {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
};
type RawOperation = {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};

export function operationsOf(document: unknown): Operation[] {
  const doc = document as Document;
  return Object.entries(doc.paths).flatMap(([template, item]) =>
    Object.entries(item).map(([method, op]) => {
      const params = op.parameters ?? [];
      const content = Object.entries(op.requestBody?.content ?? {})[0];
      const scheme = Object.keys(op.security?.[0] ?? {})[0];
      return {
        operationId: op.operationId,
        method: method.toUpperCase(),
        template,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ ...p, required: !!p.required })),
        headerParams: params.filter((p) => p.in === 'header'),
        body: content ? { mediaType: content[0], schema: content[1].schema } : undefined,
        auth: scheme === undefined ? 'none' : scheme === 'bearerAuth' ? 'bearer' : 'basic',
      } satisfies Operation;
    }),
  );
}

/** Real ids, by the kind of thing a path parameter names (the path segment before it). */
export type IdPool = Record<
  'campaigns' | 'invites' | 'api-keys' | 'contacts' | 'webhook-endpoints' | 'webhook-deliveries' | 'links',
  string[]
>;

export interface Pools {
  own: IdPool;
  other: IdPool;
  hints: Hints;
}

const kindOf = (template: string, param: string): keyof IdPool | undefined => {
  const before = template.split('/').findIndex((s) => s === `{${param}}`) - 1;
  const kind = template.split('/')[before];
  return kind as keyof IdPool;
};

/**
 * Requests for one operation: valid-ish (real ids, schema-following bodies) about half the time
 * so the code behind validation runs, and otherwise broken in the path, the query, a header or
 * the body.
 */
export function requestArbitrary(document: unknown, op: Operation, pools: Pools): fc.Arbitrary<FuzzRequest> {
  const schemas = new SchemaArbitraries((document as Document).components.schemas, pools.hints);

  const segment = (name: string): fc.Arbitrary<{ value: string; owner?: 'own' | 'other' }> => {
    const kind = kindOf(op.template, name);
    const own = (kind && pools.own[kind]) || [];
    const other = (kind && pools.other[kind]) || [];
    const options: fc.WeightedArbitrary<{ value: string; owner?: 'own' | 'other' }>[] = [
      { weight: 2, arbitrary: fc.uuid({ version: 7 }).map((value) => ({ value })) },
      { weight: 2, arbitrary: fc.constantFrom(...NASTY_SEGMENTS).map((value) => ({ value })) },
      {
        weight: 1,
        arbitrary: fc
          .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
          .map((s) => ({ value: encodeLoosely(s) })),
      },
    ];
    if (own.length)
      options.push({
        weight: 6,
        arbitrary: fc.constantFrom(...own).map((value) => ({ value, owner: 'own' as const })),
      });
    if (other.length)
      options.push({
        weight: 2,
        arbitrary: fc.constantFrom(...other).map((value) => ({ value, owner: 'other' as const })),
      });
    return fc.oneof(...options);
  };

  const path = fc.tuple(...op.pathParams.map((p) => segment(p.name))).map((values) => {
    let filled = op.template;
    let owner: 'own' | 'other' | undefined;
    op.pathParams.forEach((p, i) => {
      filled = filled.replace(`{${p.name}}`, values[i].value);
      owner ??= values[i].owner;
    });
    return { path: filled, owner };
  });

  const queryValue = (p: Operation['queryParams'][number]) =>
    fc.oneof(
      { weight: 3, arbitrary: schemas.validish(p.schema, p.name).map((v) => encodeLoosely(String(v))) },
      {
        weight: 1,
        arbitrary: schemas
          .invalid(p.schema, p.name)
          .map((v) => encodeLoosely(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
      },
      { weight: 1, arbitrary: fc.constantFrom(...NASTY_SEGMENTS) },
    );
  const query = fc
    .tuple(
      fc.tuple(
        ...op.queryParams.map((p) => fc.option(queryValue(p), { nil: undefined, freq: p.required ? 10 : 2 })),
      ),
      // Express reads `a=1&a=2` as an array and `a[b]=c` as an object: the schemas say string.
      fc.option(
        fc.constantFrom(
          ...op.queryParams.flatMap((p) => [`${p.name}=1&${p.name}=2`, `${p.name}[x]=1`, `${p.name}[]=`]),
          'extra=1',
          '%ff=%ff',
          '=',
          '&&&',
        ),
        { nil: undefined, freq: 3 },
      ),
    )
    .map(([values, extra]) => {
      const parts = op.queryParams.flatMap((p, i) =>
        values[i] === undefined ? [] : [`${p.name}=${values[i]}`],
      );
      if (extra) parts.push(extra);
      return parts.length ? `?${parts.join('&')}` : '';
    });

  const headers = fc
    .tuple(
      ...op.headerParams.map((p) =>
        fc.option(
          fc.oneof(
            schemas.validish(p.schema, p.name).map(String),
            fc.constantFrom('k1', 'x'.repeat(201), ' ', 'ünïcödé', '\u00ff'),
          ),
          { nil: undefined, freq: 2 },
        ),
      ),
    )
    .map((values) =>
      Object.fromEntries(
        op.headerParams.flatMap((p, i) => (values[i] === undefined ? [] : [[p.name, values[i]]])),
      ),
    );

  const body = bodyArbitrary(op, schemas);

  return fc.tuple(path, query, headers, body).map(([p, q, h, b]) => ({
    method: op.method,
    path: p.path + q,
    headers: { ...h, ...(b?.contentType ? { 'content-type': b.contentType } : {}) },
    ...(b?.text !== undefined ? { body: b.text } : {}),
    ...(p.owner ? { pathOwner: p.owner } : {}),
  }));
}

type Body = { text?: string; contentType?: string } | undefined;

function bodyArbitrary(op: Operation, schemas: SchemaArbitraries): fc.Arbitrary<Body> {
  const json = (v: unknown): Body => ({ text: JSON.stringify(v) ?? 'null', contentType: 'application/json' });
  const raw = fc.constantFrom(...RAW_BODIES).map((text): Body => ({ text, contentType: 'application/json' }));
  if (!op.body) {
    // Operations without a body still get one sometimes: it must be ignored or refused, never a 500.
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.constantFrom<Body>(json({}), json({ extra: 1 }), {
          text: '{}',
          contentType: 'application/json; charset=latin1',
        }),
      },
      { weight: 1, arbitrary: raw },
    );
  }
  if (op.body.mediaType === 'text/csv') {
    const cell = fc.oneof(
      fc.constantFrom('ada@example.com', 'b@example.org', 'not-an-email', ...NASTY_STRINGS.slice(0, 20)),
      fc.emailAddress(),
    );
    const csv = fc
      .tuple(
        fc.constantFrom(
          'email,name',
          'name,email',
          'email',
          'EMAIL,Name,extra',
          '',
          '\ufeffemail,name',
          'e"mail,name',
        ),
        fc.array(fc.tuple(cell, fc.string({ maxLength: 10 })), { maxLength: 4 }),
        fc.constantFrom('\n', '\r\n', '\r'),
      )
      .map(([header, rows, eol]) =>
        [header, ...rows.map(([e, n]) => `${e},"${n.replace(/"/g, '""')}"`)].join(eol),
      );
    return fc.oneof(
      { weight: 4, arbitrary: csv.map((text): Body => ({ text, contentType: 'text/csv' })) },
      { weight: 1, arbitrary: csv.map((text): Body => ({ text, contentType: 'application/json' })) },
      {
        weight: 1,
        arbitrary: fc.constantFrom<Body>(
          { text: '"unclosed,quote\n', contentType: 'text/csv' },
          { text: '\u0000\u0000', contentType: 'text/csv' },
          undefined,
        ),
      },
    );
  }
  return fc.oneof(
    { weight: 5, arbitrary: schemas.validish(op.body.schema).map(json) },
    { weight: 4, arbitrary: schemas.invalid(op.body.schema).map(json) },
    { weight: 1, arbitrary: raw },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          schemas.validish(op.body.schema),
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/json; charset=latin1',
            '',
          ),
        )
        .map(([v, contentType]): Body => ({ text: JSON.stringify(v), contentType })),
    },
    { weight: 1, arbitrary: fc.constant<Body>(undefined) },
  );
}
