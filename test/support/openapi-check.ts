import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../api/openapi';

/**
 * Every response a test receives from a documented path is checked against openapi.json:
 * the status is documented for that operation, the content type is one it lists, and the
 * body matches that content's schema. A mismatch throws, so the test fails where it happened.
 */
export interface ObservedResponse {
  method: string;
  /** The request path, query string allowed. */
  path: string;
  status: number;
  contentType: string | null;
  /** The raw body. */
  text: string;
}

/** Paths the document owns (the API, /u unsubscribe): anything here must be documented; others (the /i pages, /docs) are not checked. */
const CHECKED = /^\/(v1\/|u\/|healthz$|readyz$|openapi\.json$)/;
/** An unknown route under /v1 still answers with the API's problems, never anything else. */
const UNROUTED_STATUSES = new Set([401, 404]);

type ResponseObject = { content?: Record<string, { schema?: unknown }> };
type OperationObject = { operationId: string; responses: Record<string, ResponseObject> };
interface Route {
  template: string;
  pattern: RegExp;
  literalLength: number;
  operations: Record<string, OperationObject>;
}

class ContractChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: ReturnType<typeof openApiDocument>) {
    addFormats(this.ajv);
    this.ajv.addSchema(document, DOC_ID);
    this.routes = Object.entries(document.paths ?? {})
      .map(([template, item]) => ({
        template,
        pattern: new RegExp(
          `^${template
            .split(/\{[^}]+\}/)
            .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
            .join('[^/]+')}$`,
        ),
        // The most literal template wins: /v1/campaigns/{id}/invites/bulk before …/{id}/invites/{x}.
        literalLength: template.replace(/\{[^}]+\}/g, '').length,
        operations: item as unknown as Record<string, OperationObject>,
      }))
      .sort((a, b) => b.literalLength - a.literalLength);
  }

  check(observed: ObservedResponse): void {
    const path = observed.path.split('?')[0];
    if (!CHECKED.test(path)) return;
    const method = observed.method.toLowerCase();
    const where = `${observed.method.toUpperCase()} ${observed.path} → ${observed.status}`;
    const route = this.routes.find((r) => r.pattern.test(path) && r.operations[method]);
    if (!route) {
      if (UNROUTED_STATUSES.has(observed.status) && path.startsWith('/v1/')) {
        this.checkBody(where, `${DOC_ID}#/components/schemas/Problem`, observed, 'application/problem+json');
        return;
      }
      throw new Error(
        `OpenAPI contract: ${where}: no documented operation for ${method.toUpperCase()} ${path}`,
      );
    }
    const operation = route.operations[method];
    const statusKey = [String(observed.status), `${String(observed.status)[0]}XX`].find(
      (k) => k in operation.responses,
    );
    if (!statusKey)
      throw new Error(
        `OpenAPI contract: ${where}: status ${observed.status} is not documented for ${operation.operationId} ` +
          `(documented: ${Object.keys(operation.responses).join(', ')}); body: ${observed.text.slice(0, 500)}`,
      );
    const response = operation.responses[statusKey];
    const content = response.content ?? {};
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
      if (observed.text !== '')
        throw new Error(`OpenAPI contract: ${where}: documented without a body, but one was sent`);
      return;
    }
    const mediaType = (observed.contentType ?? '').split(';')[0].trim().toLowerCase();
    if (!mediaTypes.includes(mediaType))
      throw new Error(
        `OpenAPI contract: ${where}: content type "${observed.contentType ?? ''}" is not documented ` +
          `for ${operation.operationId} (documented: ${mediaTypes.join(', ')})`,
      );
    if (content[mediaType].schema === undefined) return;
    const pointer = ['paths', route.template, method, 'responses', statusKey, 'content', mediaType, 'schema']
      .map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1'))
      .join('/');
    this.checkBody(where, `${DOC_ID}#/${pointer}`, observed, mediaType);
  }

  private checkBody(where: string, ref: string, observed: ObservedResponse, mediaType: string): void {
    let body: unknown = observed.text;
    if (/json$/.test(mediaType)) {
      try {
        body = JSON.parse(observed.text);
      } catch {
        throw new Error(
          `OpenAPI contract: ${where}: ${mediaType} body is not JSON: ${observed.text.slice(0, 200)}`,
        );
      }
    }
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    if (!validate(body))
      throw new Error(
        `OpenAPI contract: ${where}: the body does not match its schema:\n` +
          this.ajv.errorsText(validate.errors, { separator: '\n', dataVar: 'body' }) +
          `\nbody: ${JSON.stringify(body).slice(0, 1000)}`,
      );
  }
}

const DOC_ID = 'https://herald.test/openapi.json';
let checker: ContractChecker | undefined;

/** Built on first use, once every route module has registered its operations. */
export function checkAgainstOpenApi(observed: ObservedResponse): void {
  checker ??= new ContractChecker(openApiDocument('http://127.0.0.1'));
  checker.check(observed);
}

const mismatches: string[] = [];

/**
 * The check as the test clients run it: it throws, and it also remembers, so a mismatch
 * inside a retried `eventually()` check, which would swallow the throw, still fails the file.
 */
export function checkResponse(observed: ObservedResponse): void {
  try {
    checkAgainstOpenApi(observed);
  } catch (err) {
    mismatches.push((err as Error).message);
    throw err;
  }
}

/** The mismatches seen since the last call (the stack asserts none when it closes). */
export function takeContractMismatches(): string[] {
  return mismatches.splice(0);
}

/** `fetch`, with the response checked like ApiClient's (for tests that need raw headers or bodies). */
export async function checkedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, init);
  const text = await res.clone().text();
  const { pathname, search } = new URL(url);
  checkResponse({
    method: init.method ?? 'GET',
    path: pathname + search,
    status: res.status,
    contentType: res.headers.get('content-type'),
    text,
  });
  return res;
}
