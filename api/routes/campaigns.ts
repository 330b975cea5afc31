import { Router } from 'express';
import { adminOnly, callerOf } from '../auth';
import {
  AuditEntryView,
  CampaignView,
  CreateCampaign,
  EmptyBody,
  IdParams,
  ListCampaignsQuery,
  Pagination,
  PauseBody,
  UpdateCampaign,
  page,
  registry,
} from '../schemas';
import type { AuditService } from '../usecases/audit';
import type { CampaignService } from '../usecases/campaigns';
import { parse } from '../validate';
import { apiRouter } from '../router';
import {
  jsonBody as body,
  forbidden,
  json,
  problem,
  security,
  workflowUnavailable,
} from '../openapi-helpers';

const common = { 400: problem('validation_failed'), 401: problem('unauthorized'), 404: problem('not_found') };

registry.registerPath({
  method: 'post',
  path: '/v1/campaigns',
  operationId: 'createCampaign',
  summary: 'Create a draft campaign (starts its workflow)',
  security,
  request: body(CreateCampaign),
  responses: { 201: json(CampaignView, 'The draft'), ...common, ...forbidden, ...workflowUnavailable },
});
registry.registerPath({
  method: 'get',
  path: '/v1/campaigns',
  operationId: 'listCampaigns',
  summary: 'List campaigns, newest first',
  security,
  request: { query: ListCampaignsQuery },
  responses: { 200: json(page(CampaignView), 'A page of campaigns'), 401: problem('unauthorized') },
});
registry.registerPath({
  method: 'get',
  path: '/v1/campaigns/{id}',
  operationId: 'getCampaign',
  summary: 'One campaign with its status, reservation and progress',
  security,
  request: { params: IdParams },
  responses: { 200: json(CampaignView, 'The campaign'), ...common },
});
registry.registerPath({
  method: 'patch',
  path: '/v1/campaigns/{id}',
  operationId: 'updateCampaign',
  summary: 'Edit a draft; `startAt` reschedules and `expiresAt` moves the expiry at any live status',
  security,
  request: { params: IdParams, ...body(UpdateCampaign) },
  responses: {
    200: json(CampaignView, 'The campaign after the change'),
    ...common,
    ...forbidden,
    402: problem('insufficient_balance (reviving an expired campaign reserves its cost again)'),
    409: problem('invalid_state'),
    ...workflowUnavailable,
  },
});
for (const [command, operationId, summary, extra] of [
  [
    'launch',
    'launchCampaign',
    'Reserve the cost and launch (scheduled when startAt is in the future)',
    { 402: problem('insufficient_balance'), ...forbidden },
  ],
  ['pause', 'pauseCampaign', 'Pause: nothing more is sent; links keep working (admin or support)', {}],
  ['resume', 'resumeCampaign', 'Resume to the phase it was paused in (admin or support)', {}],
  [
    'cancel',
    'cancelCampaign',
    'Cancel: links show expired, the unsent part of the reservation is released',
    forbidden,
  ],
] as const) {
  registry.registerPath({
    method: 'post',
    path: `/v1/campaigns/{id}/${command}`,
    operationId,
    summary,
    security,
    request: { params: IdParams, ...(command === 'pause' ? body(PauseBody) : {}) },
    responses: {
      200: json(CampaignView, 'The campaign in its new status'),
      ...common,
      409: problem('invalid_state'),
      ...workflowUnavailable,
      ...extra,
    },
  });
}
registry.registerPath({
  method: 'get',
  path: '/v1/campaigns/{id}/audit',
  operationId: 'listCampaignAudit',
  summary: 'The audit log: every status change and refused command, with actor and reason',
  security,
  request: { params: IdParams, query: Pagination },
  responses: { 200: json(page(AuditEntryView), 'Oldest first'), ...common },
});

export function campaignRoutes({
  campaigns,
  audit,
}: {
  campaigns: CampaignService;
  audit: AuditService;
}): Router {
  const router = apiRouter();
  const idOf = (params: unknown) => parse(IdParams, params, 'params').id;

  router.post('/campaigns', adminOnly, async (req, res) => {
    const campaign = await campaigns.create(callerOf(res), parse(CreateCampaign, req.body));
    res.status(201).location(`/v1/campaigns/${campaign.id}`).json(campaign);
  });
  router.get('/campaigns', async (req, res) => {
    res.json(await campaigns.list(callerOf(res), parse(ListCampaignsQuery, req.query, 'query')));
  });
  router.get('/campaigns/:id', async (req, res) => {
    res.json(await campaigns.get(callerOf(res), idOf(req.params)));
  });
  router.patch('/campaigns/:id', adminOnly, async (req, res) => {
    res.json(await campaigns.update(callerOf(res), idOf(req.params), parse(UpdateCampaign, req.body)));
  });

  router.post('/campaigns/:id/launch', adminOnly, async (req, res) => {
    parse(EmptyBody, req.body ?? {});
    res.json(await campaigns.command(callerOf(res), idOf(req.params), { type: 'launch' }));
  });
  router.post('/campaigns/:id/pause', async (req, res) => {
    const { reason } = parse(PauseBody, req.body ?? {});
    res.json(await campaigns.command(callerOf(res), idOf(req.params), { type: 'pause', reason }));
  });
  router.post('/campaigns/:id/resume', async (req, res) => {
    parse(EmptyBody, req.body ?? {});
    res.json(await campaigns.command(callerOf(res), idOf(req.params), { type: 'resume' }));
  });
  router.post('/campaigns/:id/cancel', adminOnly, async (req, res) => {
    parse(EmptyBody, req.body ?? {});
    res.json(await campaigns.command(callerOf(res), idOf(req.params), { type: 'cancel' }));
  });

  router.get('/campaigns/:id/audit', async (req, res) => {
    const id = idOf(req.params);
    await campaigns.load(callerOf(res), id);
    const { limit, cursor } = parse(Pagination, req.query, 'query');
    res.json(await audit.list(callerOf(res), id, limit, cursor));
  });
  return router;
}
