import { checkResponse } from './openapi-check';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A thin HTTP client over fetch: real requests to the real server, every answer checked against openapi.json. */
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

  async request<T = any>(
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

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  patch<T = any>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  put<T = any>(path: string, body: unknown) {
    return this.request<T>('PUT', path, body);
  }
}
