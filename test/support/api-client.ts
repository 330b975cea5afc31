import type { Method, OperationOf, PathOf, Problem, RequestBody, ResponseBody } from './api-types';
import { checkResponse } from './openapi-check';

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * The answer to `method path`, its body typed from openapi.json. A path only `PathOf` accepts
 * (an id's `${string}` spanning segments) has no operation: its body has nothing to read.
 */
type Answer<M extends Method, P extends string> = Promise<
  ApiResponse<
    [OperationOf<M, P>] extends [never]
      ? { 'not a documented operation: a deliberately wrong request goes through request()': P }
      : ResponseBody<OperationOf<M, P>>
  >
>;

/**
 * A thin HTTP client over fetch: real requests to the real server, every answer checked against
 * openapi.json. `get`, `post`, `put`, `patch` and `delete` take a documented path (as written,
 * with its ids and query string) and the request body that operation documents, and type the
 * answer's body from openapi.json; `request` sends anything (an undocumented path, a wrong body,
 * raw bytes) and types the body as the caller says, a problem by default.
 */
export class ApiClient {
  private readonly origin: () => string;
  private readonly auth: () => string | undefined;

  /**
   * `baseUrl` and `key` may be given as functions, read at each request: a client made before
   * its stack or account exists (`useAccount`) works once they do.
   */
  constructor(baseUrl: string | (() => string), key?: string | (() => string | undefined)) {
    this.origin = typeof baseUrl === 'function' ? baseUrl : () => baseUrl;
    this.auth = typeof key === 'function' ? key : () => key;
  }

  get baseUrl(): string {
    return this.origin();
  }
  get key(): string | undefined {
    return this.auth();
  }

  as(key: string): ApiClient {
    return new ApiClient(this.origin, key);
  }

  /** The escape hatch: any method, path and body (a string is sent as it is). */
  async request<T = Problem>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const res = await fetch(this.baseUrl + path, {
      method,
      headers: {
        ...(this.key ? { authorization: `Bearer ${this.key}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    checkResponse({
      method,
      path,
      status: res.status,
      contentType: res.headers.get('content-type'),
      text,
    });
    return {
      status: res.status,
      headers: res.headers,
      body: (/json/.test(type) && text ? JSON.parse(text) : text) as T,
    };
  }

  get<P extends PathOf<'get'>>(path: P): Answer<'get', P> {
    return this.request('GET', path);
  }
  post<P extends PathOf<'post'>>(
    path: P,
    body?: RequestBody<OperationOf<'post', P>>,
    headers?: Record<string, string>,
  ): Answer<'post', P> {
    return this.request('POST', path, body ?? {}, headers);
  }
  patch<P extends PathOf<'patch'>>(path: P, body: RequestBody<OperationOf<'patch', P>>): Answer<'patch', P> {
    return this.request('PATCH', path, body);
  }
  put<P extends PathOf<'put'>>(path: P, body: RequestBody<OperationOf<'put', P>>): Answer<'put', P> {
    return this.request('PUT', path, body);
  }
  delete<P extends PathOf<'delete'>>(path: P): Answer<'delete', P> {
    return this.request('DELETE', path);
  }
}
