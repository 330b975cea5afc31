import { forbidden, json, problem } from '../openapi-helpers';
import { Routes } from '../route';
import { CompleteLink, InviteErasedProblem, LinkParams, LinkView } from '../schemas';
import type { LinkService } from '../usecases/links';

/**
 * The links API: the customer's backend, holding the `herald_token` its landing page was given,
 * reads the invite and moves the journey, by the same rules as Herald's own page (LinkService).
 */
const notFound = {
  404: problem("not_found: no such link in this account (another account's token is a 404)"),
};
const erased = {
  410: {
    description: 'invite_erased: the invite behind the link was erased with its recipient',
    content: { 'application/problem+json': { schema: InviteErasedProblem } },
  },
};
const notOpen = {
  409: problem('invalid_state: the link is completed, expired or not open yet (`currentStatus` says which)'),
};

const routes = new Routes<{ links: LinkService }>('/v1');

routes.add({
  method: 'get',
  path: '/v1/links/{token}',
  operationId: 'getLink',
  summary: 'The invite behind a link token, with its journey and state',
  access: 'any',
  params: LinkParams,
  responses: { 200: json(LinkView, 'The invite'), ...notFound, ...erased },
  handler: ({ caller, params }, { links }) => links.read(caller, params.token),
});
routes.add({
  method: 'post',
  path: '/v1/links/{token}/start',
  operationId: 'startLink',
  summary: 'Record that the recipient started (like the Start button); starting again changes nothing',
  access: 'admin',
  params: LinkParams,
  responses: { 200: json(LinkView, 'The invite, started'), ...notFound, ...notOpen, ...erased, ...forbidden },
  handler: ({ caller, params }, { links }) => links.startFor(caller, params.token),
});
routes.add({
  method: 'post',
  path: '/v1/links/{token}/complete',
  operationId: 'completeLink',
  summary: 'Record that the recipient completed, with an optional order reference: the invite is used',
  access: 'admin',
  params: LinkParams,
  body: CompleteLink,
  bodyOptional: true,
  responses: {
    200: json(LinkView, 'The invite, used'),
    ...notFound,
    409: problem('invalid_state: already completed (completing twice), expired or not open yet'),
    ...erased,
    ...forbidden,
  },
  handler: ({ caller, params, body }, { links }) =>
    links.completeFor(caller, params.token, body.order || null),
});

export const linkRoutes = (deps: { links: LinkService }) => routes.router(deps);
