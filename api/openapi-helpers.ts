import type { z } from 'zod';
import { Problem, registry } from './schemas';

/** Shorthands for describing routes in the OpenAPI registry, shared by every route file. */
export const security = [{ bearerAuth: [] }];
/** No credentials: the probes and the document itself. */
export const publicAccess = [];
registry.registerComponent('securitySchemes', 'postmarkBasicAuth', {
  type: 'http',
  scheme: 'basic',
  description: 'POSTMARK_WEBHOOK_USER / POSTMARK_WEBHOOK_PASSWORD, set in the Postmark webhook URL',
});
export const postmarkSecurity = [{ postmarkBasicAuth: [] }];

export const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});
export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({
  body: { content: { 'application/json': { schema } } },
});
/** For routes behind `adminOnly`: 401, 400 and 404 are added centrally (api/openapi.ts), 403 is not. */
export const forbidden = { 403: problem('forbidden: needs an admin API key') };
/** Node's HTTP server answers this before any route runs, on every path: the one 4xx a public probe can get. */
export const headersTooLarge = {
  431: problem('headers_too_large: the URL or headers are over the server limit (answered before any route)'),
};
/** For routes that start or wait on a campaign's workflow: Temporal did not answer in time. */
export const workflowUnavailable = {
  503: problem("unavailable: the campaign's workflow did not answer; nothing changed, retry"),
};
