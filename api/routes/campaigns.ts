import {
  AuditEntryView,
  CampaignView,
  CreateCampaign,
  EmailPreview,
  IdParams,
  ListCampaignsQuery,
  Pagination,
  PauseBody,
  PreviewQuery,
  TestSendBody,
  TestSendResult,
  UpdateCampaign,
  page,
} from '../schemas';
import type { AuditService } from '../usecases/audit';
import type { CampaignPreviewService } from '../usecases/campaign-preview';
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

type Deps = { campaigns: CampaignService; audit: AuditService; preview: CampaignPreviewService };
const routes = new Routes<Deps>('/v1');

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
  description:
    "The sender is checked first: the provider must accept the account's token (Postmark `GET /server`) and a from address must be set; if not, `409 sender_not_ready` says what to fix, and the campaign stays a draft with nothing reserved.",
  responses: commanded({
    402: problem('insufficient_balance'),
    ...forbidden,
    409: problem(
      'invalid_state; or sender_not_ready: the provider refused the token, or there is no from address (`detail` says what to fix)',
    ),
  }),
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

routes.add({
  method: 'get',
  path: '/v1/campaigns/{id}/preview',
  operationId: 'previewCampaignEmail',
  summary:
    'The invitation as recipients will get it (subject, HTML, text), for a sample recipient or one invite',
  description:
    "Rendered by the send pipeline's own renderer. The sample recipient's links open harmless pages (`/p/preview`), never an invite. Reading it changes nothing.",
  access: 'any',
  params: IdParams,
  query: PreviewQuery,
  responses: {
    200: json(EmailPreview, 'The rendered email'),
    ...common,
    410: problem(
      "invite_reset or invite_erased: the named invite's link no longer works (preview its replacement)",
    ),
    409: problem(
      'invalid_state (the campaign has ended, or its expiry passed) or invite_expired: the email would carry a dead link',
    ),
  },
  handler: ({ caller, params, query }, { preview }) => preview.preview(caller, params.id, query.inviteId),
});
routes.add({
  method: 'post',
  path: '/v1/campaigns/{id}/test-send',
  operationId: 'testSendCampaignEmail',
  summary: 'Send the real invitation, subject after "[Test] ", to 1–5 addresses',
  description:
    'Its links open a "this is a test" page (`/p/test`), and its List-Unsubscribe headers are the real ones with an inert link. Uses no invite, changes no counter, reserves no money; each email counts against the account\'s sending limits (`429 rate_limited` when they are reached, nothing sent). A suppressed address is skipped, with why. Audited (`test_sent`).',
  access: 'admin',
  params: IdParams,
  body: TestSendBody,
  responses: {
    200: json(TestSendResult, 'What went to each address'),
    ...common,
    ...forbidden,
    409: problem(
      'sender_not_ready; or invalid_state (the campaign has ended, or its expiry passed) / invite_expired: the email would carry a dead link',
    ),
    429: problem("rate_limited: the account's sending limit is reached (Retry-After); nothing was sent"),
    503: problem('unavailable: the provider did not answer; nothing was sent, retry'),
  },
  handler: ({ caller, params, body }, { preview }) => preview.testSend(caller, params.id, body.to),
});

export const campaignRoutes = (deps: Deps) => routes.router(deps);
