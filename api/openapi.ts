import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { headersTooLarge, publicAccess } from './openapi-helpers';
import { registry } from './schemas';

registry.registerPath({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  summary: 'This document (OpenAPI 3.1)',
  security: publicAccess,
  responses: {
    200: {
      description: 'The OpenAPI document',
      content: { 'application/json': { schema: z.record(z.unknown()) } },
    },
    ...headersTooLarge,
  },
});

type Json = Record<string, unknown>;
type Operation = Json & {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const CAMEL_CASE = /^[a-z][a-zA-Z0-9]*$/;

/**
 * Generated from the same schemas that validate requests, so it cannot drift from them; then
 * every operation gets the problem responses the shared middleware can give it, and a
 * registration without a unique camelCase operationId stops the app from starting.
 */
export function openApiDocument(serverUrl: string) {
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Herald API',
      version: '1.0.0',
      description:
        'Campaigns of private invitation links, sent on a schedule and in batches. Errors are RFC 9457 problem+json with a stable `code`.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: serverUrl }],
  });
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = (item as Partial<Record<string, Operation>>)[method];
      return operation ? [{ path, method, operation }] : [];
    }),
  );
  assertOperationIds(operations);
  for (const { path, method, operation } of operations) addStandardProblems(path, method, operation);
  allowNullInNullableEnums(document);
  return document;
}

function assertOperationIds(operations: { path: string; method: string; operation: Operation }[]) {
  const seen = new Map<string, string>();
  for (const { path, method, operation } of operations) {
    const where = `${method.toUpperCase()} ${path}`;
    const id = operation.operationId;
    if (!id)
      throw new Error(`OpenAPI: ${where} has no operationId (add one to its registry.registerPath call)`);
    if (!CAMEL_CASE.test(id)) throw new Error(`OpenAPI: ${where} operationId "${id}" is not camelCase`);
    const other = seen.get(id);
    if (other) throw new Error(`OpenAPI: operationId "${id}" is used by both ${other} and ${where}`);
    seen.set(id, where);
  }
}

const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/**
 * The answers no single route decides: authentication (401), the id and body parsers (400,
 * 404, 413, 415), the server's header limit (431) and the Idempotency-Key check on every
 * POST taken with an API key (400, 409). A route
 * documents its own reasons (403 admin-only, 402, 409 invalid_state…); those are kept.
 */
function addStandardProblems(path: string, method: string, operation: Operation) {
  const standard: Record<string, string> = {};
  const authenticated = (operation.security ?? []).length > 0;
  const inputs = operation.parameters ?? [];
  if (authenticated) standard[401] = 'unauthorized: missing or invalid credentials';
  if (inputs.length > 0 || operation.requestBody)
    standard[400] = 'validation_failed: the request is not valid';
  if (path.includes('{')) standard[404] = 'not_found: no such resource in this account';
  // The JSON parser reads whatever body an authenticated /v1 write sends, documented or not.
  const bodyRead = !!operation.requestBody || (authenticated && method !== 'get' && path.startsWith('/v1/'));
  if (bodyRead) {
    standard[413] = 'the body is over the size limit';
    standard[415] =
      'unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br';
  }
  // Only the API keys' routes take an Idempotency-Key (the Postmark webhook, on basic auth, does not).
  const withApiKey = (operation.security ?? []).some((scheme) => 'bearerAuth' in scheme);
  if (withApiKey && method === 'post' && path.startsWith('/v1/')) {
    standard[400] = 'validation_failed: the request (or its Idempotency-Key) is not valid';
    standard[409] = 'conflict: the Idempotency-Key was used with another request, or is still in progress';
  }
  // Node answers an over-long URL or header block itself, before any route (hardenHttpServer).
  standard[431] =
    'headers_too_large: the URL or headers are over the server limit (answered before any route)';
  for (const [status, description] of Object.entries(standard))
    operation.responses[status] ??= problemResponse(description);
}

/**
 * zod-to-openapi writes a nullable enum as `type: [string, null]` with an enum that lacks
 * null, which JSON Schema then rejects for null: add null wherever the type allows it.
 */
function allowNullInNullableEnums(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(allowNullInNullableEnums);
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Json;
  if (
    Array.isArray(schema.type) &&
    schema.type.includes('null') &&
    Array.isArray(schema.enum) &&
    !schema.enum.includes(null)
  )
    schema.enum = [...(schema.enum as unknown[]), null];
  Object.values(schema).forEach(allowNullInNullableEnums);
}
