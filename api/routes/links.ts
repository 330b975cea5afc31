import { Router } from 'express';
import { adminOnly, callerOf } from '../auth';
import { forbidden, json, jsonBody, problem, security } from '../openapi-helpers';
import { CompleteLink, InviteErasedProblem, LinkParams, LinkView, registry } from '../schemas';
import type { LinkService } from '../usecases/links';
import { parse } from '../validate';
import { apiRouter } from '../router';

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

registry.registerPath({
  method: 'get',
  path: '/v1/links/{token}',
  operationId: 'getLink',
  summary: 'The invite behind a link token, with its journey and state',
  security,
  request: { params: LinkParams },
  responses: { 200: json(LinkView, 'The invite'), ...notFound, ...erased },
});
registry.registerPath({
  method: 'post',
  path: '/v1/links/{token}/start',
  operationId: 'startLink',
  summary: 'Record that the recipient started (like the Start button); starting again changes nothing',
  security,
  request: { params: LinkParams },
  responses: { 200: json(LinkView, 'The invite, started'), ...notFound, ...notOpen, ...erased, ...forbidden },
});
registry.registerPath({
  method: 'post',
  path: '/v1/links/{token}/complete',
  operationId: 'completeLink',
  summary: 'Record that the recipient completed, with an optional order reference: the invite is used',
  security,
  request: { params: LinkParams, ...jsonBody(CompleteLink) },
  responses: {
    200: json(LinkView, 'The invite, used'),
    ...notFound,
    409: problem('invalid_state: already completed (completing twice), expired or not open yet'),
    ...erased,
    ...forbidden,
  },
});

export function linkRoutes({ links }: { links: LinkService }): Router {
  const router = apiRouter();
  const tokenOf = (params: unknown) => parse(LinkParams, params, 'params').token;
  router.get('/links/:token', async (req, res) => {
    res.json(await links.read(callerOf(res), tokenOf(req.params)));
  });
  router.post('/links/:token/start', adminOnly, async (req, res) => {
    res.json(await links.startFor(callerOf(res), tokenOf(req.params)));
  });
  router.post('/links/:token/complete', adminOnly, async (req, res) => {
    const token = tokenOf(req.params);
    const { order } = parse(CompleteLink, req.body ?? {});
    res.json(await links.completeFor(callerOf(res), token, order || null));
  });
  return router;
}
