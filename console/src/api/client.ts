import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { session } from '../session';

export type { components };
export type Campaign = components['schemas']['Campaign'];
export type CampaignStatus = Campaign['status'];
export type CampaignAction = Campaign['actions'][number];
export type Invite = components['schemas']['Invite'];
export type Problem = components['schemas']['Problem'];

/** Every call carries the session's key; a 401 (revoked key) signs the person out. */
const auth: Middleware = {
  onRequest({ request }) {
    const key = session.key();
    if (key) request.headers.set('Authorization', `Bearer ${key}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && session.key()) session.signOut('Your API key was refused: sign in again.');
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** The API's own words for what went wrong (problem+json `detail`), never a bare status. */
export function problemText(error: unknown, fallback = 'The request failed'): string {
  if (error && typeof error === 'object') {
    const p = error as Partial<Problem>;
    const fields = p.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
    // Some details already name each field; the list is added only when it says more.
    if (p.detail)
      return fields && !p.detail.includes(p.errors![0].message) ? `${p.detail} (${fields})` : p.detail;
    if (p.title) return p.title;
  }
  if (error instanceof Error) return error.message;
  return fallback;
}

export class ApiError extends Error {
  constructor(readonly problem: Partial<Problem>) {
    super(problemText(problem));
  }
}

/** Unwraps an openapi-fetch answer: the data, or an ApiError carrying the problem. */
export async function call<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await promise;
  } catch (err) {
    throw new ApiError({ detail: `Herald could not be reached (${(err as Error).message})` });
  }
  if (result.error !== undefined || !result.response.ok)
    throw new ApiError((result.error as Partial<Problem>) ?? { detail: `HTTP ${result.response.status}` });
  return result.data as T;
}
