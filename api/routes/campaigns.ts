import {
  AuditEntryView,
  CampaignView,
  CreateCampaign,
  IdParams,
  ListCampaignsQuery,
  Pagination,
  PauseBody,
  UpdateCampaign,
  page,
} from '../schemas';
import type { AuditService } from '../usecases/audit';
import type { CampaignService } from '../usecases/campaigns';
import { forbidden, json, problem, workflowUnavailable } from '../openapi-helpers';
import { noBody, Routes } from '../route';

const common = { 400: problem('validation_failed'), 401: problem('unauthorized'), 404: problem('not_found') };
const commanded = (extra: object) => ({
  200: json(CampaignView, 'The campaign in its new status'),
  ...common,
  409: problem('invalid_state'),
  ...workflowUnavailable,
  ...extra,
});

const routes = new Routes<{ campaigns: CampaignService; audit: AuditService }>('/v1');

routes.add({
  method: 'post',
  path: '/v1/campaigns',
  operationId: 'createCampaign',
  summary: 'Create a draft campaign (starts its workflow)',
  access: 'admin',
  body: CreateCampaign,
  responses: { 201: json(CampaignView, 'The draft'), ...common, ...forbidden, ...workflowUnavailable },
  handler: async ({ caller, body }, { campaigns }, _req, res) => {
    const campaign = await campaigns.create(caller, body);
    res.location(`/v1/campaigns/${campaign.id}`);
    return campaign;
  },
});
routes.add({
  method: 'get',
  path: '/v1/campaigns',
  operationId: 'listCampaigns',
  summary: 'List campaigns, newest first',
  access: 'any',
  query: ListCampaignsQuery,
  responses: { 200: json(page(CampaignView), 'A page of campaigns'), 401: problem('unauthorized') },
  handler: ({ caller, query }, { campaigns }) => campaigns.list(caller, query),
});
routes.add({
  method: 'get',
  path: '/v1/campaigns/{id}',
  operationId: 'getCampaign',
  summary: 'One campaign with its status, reservation and progress',
  access: 'any',
  params: IdParams,
  responses: { 200: json(CampaignView, 'The campaign'), ...common },
  handler: ({ caller, params }, { campaigns }) => campaigns.get(caller, params.id),
});
routes.add({
  method: 'patch',
  path: '/v1/campaigns/{id}',
  operationId: 'updateCampaign',
  summary: 'Edit a draft; `startAt` reschedules and `expiresAt` moves the expiry at any live status',
  access: 'admin',
  params: IdParams,
  body: UpdateCampaign,
  responses: {
    200: json(CampaignView, 'The campaign after the change'),
    ...common,
    ...forbidden,
    402: problem('insufficient_balance (reviving an expired campaign reserves its cost again)'),
    409: problem('invalid_state'),
    ...workflowUnavailable,
  },
  handler: ({ caller, params, body }, { campaigns }) => campaigns.update(caller, params.id, body),
});
routes.add({
  method: 'post',
  path: '/v1/campaigns/{id}/launch',
  operationId: 'launchCampaign',
  summary: 'Reserve the cost and launch (scheduled when startAt is in the future)',
  access: 'admin',
  params: IdParams,
  body: noBody,
  responses: commanded({ 402: problem('insufficient_balance'), ...forbidden }),
  handler: ({ caller, params }, { campaigns }) => campaigns.command(caller, params.id, { type: 'launch' }),
});
routes.add({
  method: 'post',
  path: '/v1/campaigns/{id}/pause',
  operationId: 'pauseCampaign',
  summary: 'Pause: nothing more is sent; links keep working (admin or support)',
  access: 'any',
  params: IdParams,
  body: PauseBody,
  bodyOptional: true,
  responses: commanded({}),
  handler: ({ caller, params, body }, { campaigns }) =>
    campaigns.command(caller, params.id, { type: 'pause', reason: body.reason }),
});
routes.add({
  method: 'post',
  path: '/v1/campaigns/{id}/resume',
  operationId: 'resumeCampaign',
  summary: 'Resume to the phase it was paused in (admin or support)',
  access: 'any',
  params: IdParams,
  body: noBody,
  responses: commanded({}),
  handler: ({ caller, params }, { campaigns }) => campaigns.command(caller, params.id, { type: 'resume' }),
});
routes.add({
  method: 'post',
  path: '/v1/campaigns/{id}/cancel',
  operationId: 'cancelCampaign',
  summary: 'Cancel: links show expired, the unsent part of the reservation is released',
  access: 'admin',
  params: IdParams,
  body: noBody,
  responses: commanded(forbidden),
  handler: ({ caller, params }, { campaigns }) => campaigns.command(caller, params.id, { type: 'cancel' }),
});
routes.add({
  method: 'get',
  path: '/v1/campaigns/{id}/audit',
  operationId: 'listCampaignAudit',
  summary: 'The audit log: every status change and refused command, with actor and reason',
  access: 'any',
  params: IdParams,
  query: Pagination,
  responses: { 200: json(page(AuditEntryView), 'Oldest first'), ...common },
  handler: async ({ caller, params, query }, { campaigns, audit }) => {
    await campaigns.load(caller, params.id);
    return audit.list(caller, params.id, query.limit, query.cursor);
  },
});

export const campaignRoutes = (deps: { campaigns: CampaignService; audit: AuditService }) =>
  routes.router(deps);
