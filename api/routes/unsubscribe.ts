import express, { type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { SuppressionSource } from '../../entities/Suppression';
import { forbidden, json, problem, publicAccess } from '../openapi-helpers';
import {
  renderUnsubscribePage,
  UNSUBSCRIBE_PAGE_STATUS,
  type UnsubscribePageModel,
} from '../pages/templates';
import {
  IdParams,
  Problem,
  SuppressionQuery,
  SuppressionView,
  UnsubscribeForm,
  UnsubscribeParams,
} from '../schemas';
import { Routes } from '../route';
import type { SuppressionService } from '../usecases/suppressions';
import type { UnsubscribeService } from '../usecases/unsubscribes';
import { pageHeaders } from './pages';

const html = (description: string) => ({ description, content: { 'text/html': { schema: z.string() } } });

type PageDeps = { unsubscribes: UnsubscribeService };
const pages = new Routes<PageDeps>();

const send = (res: express.Response, model: UnsubscribePageModel) =>
  void res.status(UNSUBSCRIBE_PAGE_STATUS[model.state]).type('html').send(renderUnsubscribePage(model));

/**
 * RFC 8058 lets the mail client post its one field as a form or as multipart/form-data; the
 * form is parsed as usual, the multipart body (a few bytes) read as text and the field found in it.
 */
const bodies: RequestHandler[] = [
  express.urlencoded({ extended: false, limit: '10kb' }),
  express.text({ type: 'multipart/form-data', limit: '10kb' }),
];

function formOf(req: Request): unknown {
  if (typeof req.body !== 'string') return req.body ?? {};
  const field = (name: string) =>
    new RegExp(`name="${name}"\\r?\\n(?:[^\\r\\n]+\\r?\\n)*\\r?\\n([^\\r\\n]*)`).exec(
      req.body as string,
    )?.[1];
  return { 'List-Unsubscribe': field('List-Unsubscribe'), via: field('via') };
}

pages.add({
  method: 'get',
  path: '/u/{token}',
  operationId: 'showUnsubscribePage',
  summary: 'The unsubscribe page: a button that posts; it never unsubscribes by itself',
  description:
    'Link scanners (e.g. Microsoft Safe Links) fetch every URL in a mail, so a GET (or HEAD) only shows the page. It names the sender, never the address.',
  access: { security: publicAccess, guard: () => [pageHeaders] },
  params: UnsubscribeParams,
  responses: {
    200: html('The page with its Unsubscribe button'),
    404: html('Not an unsubscribe link Herald made'),
  },
  handler: async ({ params: { token } }, { unsubscribes }, _req, res) => {
    const target = await unsubscribes.target(token);
    send(res, target ? { state: 'ask', token, ...target } : { state: 'not_found' });
  },
});

pages.add({
  method: 'post',
  path: '/u/{token}',
  operationId: 'unsubscribe',
  summary: 'One-click unsubscribe (RFC 8058): suppresses the address for the account at once',
  description:
    'No cookie, no login, no confirmation: the body `List-Unsubscribe=One-Click` is enough. The address is suppressed for the account (reason `unsubscribed`) before the next send, audited without the address, and a `recipient.unsubscribed` webhook event is emitted. Repeating it changes nothing. The invitation link itself keeps working.',
  access: { security: publicAccess, guard: () => [pageHeaders, ...bodies] },
  params: UnsubscribeParams,
  rawBody: { contentType: 'application/x-www-form-urlencoded', schema: UnsubscribeForm },
  responses: {
    200: html('Unsubscribed'),
    400: {
      description:
        'The body does not carry `List-Unsubscribe=One-Click` (the page), or a path that cannot be decoded (a problem)',
      content: { ...html('').content, 'application/problem+json': { schema: Problem } },
    },
    404: html('Not an unsubscribe link Herald made'),
  },
  handler: async ({ params: { token } }, { unsubscribes }, req, res) => {
    const form = UnsubscribeForm.safeParse(formOf(req));
    if (!form.success) return send(res, { state: 'bad_request' });
    const source: SuppressionSource = form.data.via === 'page' ? 'page' : 'one-click';
    const target = await unsubscribes.unsubscribe(token, source);
    send(res, target ? { state: 'done', ...target } : { state: 'not_found' });
  },
});

type Deps = { suppressions: SuppressionService };
const routes = new Routes<Deps>('/v1');

routes.add({
  method: 'get',
  path: '/v1/suppressions',
  operationId: 'listSuppressions',
  summary: "The account's suppressed addresses (hard bounces, spam complaints, unsubscribes), newest first",
  access: 'any',
  query: SuppressionQuery,
  responses: {
    200: json(
      z.object({ data: z.array(SuppressionView), nextCursor: z.string().nullable() }),
      'A page of suppressions',
    ),
  },
  handler: ({ caller, query }, { suppressions }) => suppressions.list(caller, query),
});

routes.add({
  method: 'delete',
  path: '/v1/suppressions/{id}',
  operationId: 'liftSuppression',
  summary: 'Lift an unsubscribe: the address may be emailed again (audited)',
  description: 'Only an unsubscribe can be lifted; a hard bounce or a spam complaint is kept for good (409).',
  access: 'admin',
  params: IdParams,
  responses: {
    200: json(SuppressionView, 'The suppression that was lifted'),
    ...forbidden,
    404: problem('no such suppression in this account'),
    409: problem('conflict: a hard bounce or a spam complaint, which stays'),
  },
  handler: ({ caller, params }, { suppressions }) => suppressions.lift(caller, params.id),
});

export const unsubscribeRoutes = (deps: PageDeps) => pages.router(deps);
export const suppressionRoutes = (deps: Deps) => routes.router(deps);
