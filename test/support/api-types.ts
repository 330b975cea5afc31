/**
 * The API's types for the tests, from the same generated `paths` the console uses
 * (console/src/api/schema.d.ts, `npm run console:types`): a request path as the tests write
 * it — `/v1/campaigns/${id}/invites?limit=500` — picks its documented operation, and with it
 * the request body the operation accepts and the body it answers.
 */
import type { components, paths } from '../../console/src/api/schema';

export type { components, paths };
export type Schemas = components['schemas'];

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A path template with each `{param}` as `${string}`: `/v1/campaigns/{id}` → `/v1/campaigns/${string}`. */
type Loose<T extends string> = T extends `${infer A}{${string}}${infer B}` ? `${A}${string}${Loose<B>}` : T;
type LoosePaths<M extends Method> = {
  [T in keyof paths]: paths[T] extends Record<M, { responses: unknown }> ? Loose<T> : never;
}[keyof paths];
/**
 * The paths `method` documents, as the tests write them (ids filled in, maybe a query string).
 * A `${string}` here may also span a `/`: `OperationOf` matches segment by segment.
 */
export type PathOf<M extends Method> = LoosePaths<M> | `${LoosePaths<M>}?${string}`;

type WithoutQuery<S extends string> = S extends `${infer P}?${string}` ? P : S;
type Segments<S extends string> = S extends `${infer Head}/${infer Rest}` ? [Head, ...Segments<Rest>] : [S];

/** Segment by segment: a `{param}` of the template takes any one non-empty segment. */
type SegmentsMatch<Actual, Template> = Actual extends [infer A, ...infer ARest]
  ? Template extends [infer T, ...infer TRest]
    ? T extends `{${string}}`
      ? A extends ''
        ? false
        : SegmentsMatch<ARest, TRest>
      : A extends T
        ? SegmentsMatch<ARest, TRest>
        : false
    : false
  : Template extends []
    ? true
    : false;

/** The documented path template(s) a concrete path is an instance of (never when none is). */
export type TemplateOf<P extends string> = {
  [T in keyof paths]: SegmentsMatch<Segments<WithoutQuery<P>>, Segments<T>> extends true ? T : never;
}[keyof paths];

/**
 * The operation behind `method path`, or never when the path or method is not documented. A
 * union of paths (`/v1/links/${token}/${'start' | 'complete'}`) is the union of their operations.
 */
export type OperationOf<M extends Method, P extends string> = P extends unknown
  ? TemplateOf<P> extends infer T
    ? T extends keyof paths
      ? paths[T][M] extends infer Op
        ? Op extends { responses: unknown }
          ? Op
          : never
        : never
      : never
    : never
  : never;

type Responses<Op> = Op extends { responses: infer R } ? R : never;
type SuccessStatus = 200 | 201 | 202 | 204;
type ContentOf<R> = R extends { content: infer C } ? C[keyof C] : never;

/**
 * What a 2xx answer carries: its JSON parsed, a CSV as text, and no content (204) as the empty
 * text the client hands back.
 */
export type SuccessBody<Op> =
  Responses<Op> extends infer R
    ? {
        [S in Extract<keyof R, SuccessStatus>]: [ContentOf<R[S]>] extends [never] ? string : ContentOf<R[S]>;
      }[Extract<keyof R, SuccessStatus>]
    : never;

/** Every documented error answer of the operation (problem+json). */
export type ErrorBody<Op> =
  Responses<Op> extends infer R ? ContentOf<R[Exclude<keyof R, SuccessStatus>]> : never;

type KeysOfUnion<U> = U extends unknown ? keyof U : never;
/** A union of objects as one object: every member's fields, each the union of its types. */
type Merged<U> = {
  [K in KeysOfUnion<U>]: U extends unknown ? (K extends keyof U ? Exclude<U[K], undefined> : never) : never;
};

/** A problem+json answer: the documented Problem (or the operation's own problems), its members as one. */
export type Problem<Op = never> = Merged<([Op] extends [never] ? never : ErrorBody<Op>) | Schemas['Problem']>;

/**
 * The body of an answer to a documented operation: the 2xx body, typed; on an error status the
 * same value is a problem, so its fields (`code`, `errors`, `detail`…) are typed too where the
 * 2xx body has no field of that name. A test reads them after asserting the status, as it reads
 * the 2xx fields after asserting a 2xx.
 */
export type ResponseBody<Op> = SuccessBody<Op> & Omit<Problem<Op>, keyof SuccessBody<Op>>;

/** The JSON request body the operation documents; `undefined` when it takes none. */
export type RequestBody<Op> = Op extends { requestBody?: infer B }
  ? [B] extends [undefined]
    ? undefined
    : NonNullable<B> extends { content: infer C }
      ? C[keyof C]
      : undefined
  : undefined;
