import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import { type Request, type RequestHandler, type Response, Router } from 'express';
import type { z } from 'zod';
import { adminOnly, type Caller, callerOf } from './auth';
import { idempotencyStep } from './idempotency';
import { security as bearerSecurity } from './openapi-helpers';
import { EmptyBody, registry } from './schemas';
import { parse } from './validate';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodTypeAny;
type HeaderSchema = z.AnyZodObject;
type Out<S> = S extends Schema ? z.output<S> : undefined;

/** What a handler gets: every declared input already parsed by its schema. */
export interface RouteInput<P, Q, B, H> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  headers: Out<H>;
  /** The authenticated key (bearer routes only). */
  readonly caller: Caller;
}

/**
 * Who may call: any API key, admin keys only, or a route's own guard (the Postmark webhook,
 * with basic auth and its own body parser).
 */
export type Access<D> =
  'admin' | 'any' | { security: NonNullable<RouteConfig['security']>; guard: (deps: D) => RequestHandler[] };

export interface RouteSpec<D, P, Q, B, H> {
  method: Method;
  /** As OpenAPI writes it (`/v1/campaigns/{id}`): the Express path is derived from it. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  access: Access<D>;
  params?: P;
  query?: Q;
  /** Documented, and read from the request's headers by the schema's (lower-case) keys. */
  headers?: H;
  /** A JSON body. `noBody` refuses a non-empty one and documents none. */
  body?: B;
  /** A missing body reads as `{}` (and is documented as not required). */
  bodyOptional?: boolean;
  /** A body the handler streams itself (the CSV import): documented, not parsed. */
  rawBody?: { contentType: string; schema: Schema };
  responses: RouteConfig['responses'];
  /**
   * Calls the use case. What it returns (unless undefined) is sent as JSON with the first 2xx
   * status of `responses`; a handler that answers otherwise (a stream, a 204) returns nothing.
   */
  handler: (input: RouteInput<P, Q, B, H>, deps: D, req: Request, res: Response) => unknown;
}

/** For commands that take no body: an empty object, or none, and nothing to document. */
export const noBody = EmptyBody;

/**
 * One declaration per route: `add` registers its OpenAPI entry at once (the document is built
 * from the modules' imports, before any app exists) and keeps it; `router(deps)` builds the
 * Express routes for one app. Each route runs its authorization, then (POST) the
 * Idempotency-Key step, so a replay is only given to a caller the route itself would answer,
 * then its inputs' schemas, then the handler.
 */
export class Routes<D> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each spec keeps its own input types
  private readonly specs: RouteSpec<D, any, any, any, any>[] = [];

  /** `mount`: where the app mounts the router (`/v1`), cut from each path. */
  constructor(private readonly mount = '') {}

  add<
    P extends Schema | undefined = undefined,
    Q extends Schema | undefined = undefined,
    B extends Schema | undefined = undefined,
    H extends HeaderSchema | undefined = undefined,
  >(spec: RouteSpec<D, P, Q, B, H>): void {
    if (!spec.path.startsWith(this.mount))
      throw new Error(`${spec.operationId}: ${spec.path} is not under ${this.mount}`);
    registry.registerPath(openApiOf(spec));
    this.specs.push(spec);
  }

  router(deps: D): Router {
    const router = Router();
    for (const spec of this.specs)
      router[spec.method](expressPath(spec.path.slice(this.mount.length)), ...stepsOf(spec, deps));
    return router;
  }
}

/** `/campaigns/{id}` → `/campaigns/:id` (in Express 5, braces mean an optional part). */
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySpec<D> = RouteSpec<D, any, any, any, any>;

function stepsOf<D>(spec: AnySpec<D>, deps: D): RequestHandler[] {
  const steps: RequestHandler[] = [];
  if (typeof spec.access === 'object') steps.push(...spec.access.guard(deps));
  else if (spec.access === 'admin') steps.push(adminOnly);
  if (spec.method === 'post') steps.push(idempotencyStep);
  const status = successStatus(spec);
  steps.push(async (req, res) => {
    try {
      const answer = await spec.handler(inputOf(spec, req, res), deps, req, res);
      if (answer !== undefined) res.status(status).json(answer);
    } finally {
      // A refused upload is read to its end (and dropped) so the client, still sending, gets the answer.
      if (spec.rawBody) await drain(req);
    }
  });
  return steps;
}

/** Params, query, headers, body: the first that fails is the 400, as each names its fields. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function inputOf<D>(spec: AnySpec<D>, req: Request, res: Response): RouteInput<any, any, any, any> {
  const headers = spec.headers as HeaderSchema | undefined;
  const optional = spec.bodyOptional || spec.body === noBody;
  return {
    params: spec.params ? parse(spec.params as Schema, req.params, 'params') : undefined,
    query: spec.query ? parse(spec.query as Schema, req.query, 'query') : undefined,
    headers: headers
      ? parse(headers, Object.fromEntries(Object.keys(headers.shape).map((k) => [k, req.get(k)])), 'headers')
      : undefined,
    body: spec.body ? parse(spec.body as Schema, optional ? (req.body ?? {}) : req.body) : undefined,
    get caller() {
      return callerOf(res);
    },
  };
}

function successStatus<D>(spec: AnySpec<D>): number {
  const status = Object.keys(spec.responses)
    .map(Number)
    .find((s) => s >= 200 && s < 300);
  if (!status) throw new Error(`${spec.operationId}: no 2xx response declared`);
  return status;
}

function openApiOf<D>(spec: AnySpec<D>): RouteConfig {
  const request: NonNullable<RouteConfig['request']> = {};
  if (spec.params) request.params = spec.params;
  if (spec.query) request.query = spec.query;
  if (spec.headers) request.headers = spec.headers;
  if (spec.rawBody)
    request.body = { content: { [spec.rawBody.contentType]: { schema: spec.rawBody.schema } } };
  else if (spec.body && spec.body !== noBody)
    request.body = {
      content: { 'application/json': { schema: spec.body as Schema } },
      ...(spec.bodyOptional ? { required: false } : {}),
    };
  return {
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    security: typeof spec.access === 'object' ? spec.access.security : bearerSecurity,
    ...(Object.keys(request).length > 0 ? { request } : {}),
    responses: spec.responses,
  };
}

async function drain(req: Readable): Promise<void> {
  if (req.readableEnded || req.destroyed) return;
  req.resume();
  await finished(req).catch(() => undefined);
}
