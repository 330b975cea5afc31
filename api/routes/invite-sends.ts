import { CampaignView, IdParams, InviteErasedProblem, InviteView, ResetInvite } from '../schemas';
import type { Caller } from '../auth';
import { Routes } from '../route';
import type { CampaignService } from '../usecases/campaigns';
import type { InviteService } from '../usecases/invites';
import { forbidden, json, problem, workflowUnavailable } from '../openapi-helpers';

/** When an email did not arrive: send it again, reset it (a new link), or retry a campaign's failures. */
type Deps = { campaigns: CampaignService; invites: InviteService };

const inviteErased = {
  410: {
    description: 'invite_erased: its recipient was erased; nothing is sent',
    content: { 'application/problem+json': { schema: InviteErasedProblem } },
  },
};

const routes = new Routes<Deps>('/v1');

/** Send and Reset & resend: the workflow sends, so the one email leaves exactly once. */
async function resend(
  { invites, campaigns }: Deps,
  caller: Caller,
  id: string,
  reset: false | { expiresIn: ResetInvite['expiresIn'] },
) {
  const invite = await invites.resendable(caller, id, reset);
  const expiresIn = reset ? reset.expiresIn : undefined;
  const result = await campaigns.sendCommand(caller, invite.campaignId, {
    type: 'resend',
    inviteId: invite.id,
    reset: !!reset,
    ...(expiresIn !== undefined ? { expiresIn } : {}),
  });
  return invites.viewById(caller, result.inviteId ?? invite.id);
}
routes.add({
  method: 'post',
  path: '/v1/invites/{id}/send',
  operationId: 'sendInvite',
  summary: 'Send (or resend) the invitation email now; records when it went out',
  access: 'any',
  params: IdParams,
  responses: {
    200: json(InviteView, 'The invite'),
    409: problem(
      'invalid_state (the campaign has ended: `detail` says what to do); invite_expired: its own expiry passed, so it would email a dead link: use Reset & resend; or conflict: the address is suppressed (hard bounce, spam complaint, unsubscribed) or the email was refused',
    ),
    ...inviteErased,
    ...workflowUnavailable,
  },
  handler: ({ caller, params }, deps) => resend(deps, caller, params.id, false),
});
routes.add({
  method: 'post',
  path: '/v1/invites/{id}/reset',
  operationId: 'resetInvite',
  summary: 'Reset & resend: void the link (it then shows expired), issue a new one and email it',
  access: 'any',
  params: IdParams,
  body: ResetInvite,
  bodyOptional: true,
  responses: {
    200: json(InviteView, 'The new invite that replaces it, with a fresh expiry'),
    409: problem(
      'invalid_state (the campaign has ended: `detail` says what to do, nothing is reset); or conflict: the address is suppressed (nothing is reset) or the email was refused',
    ),
    ...inviteErased,
    ...workflowUnavailable,
  },
  handler: ({ caller, params, body }, deps) => resend(deps, caller, params.id, { expiresIn: body.expiresIn }),
});
routes.add({
  method: 'post',
  path: '/v1/campaigns/{id}/retry-failed',
  operationId: 'retryFailedInvites',
  summary: 'Send again to the invites whose delivery failed (not bad addresses, not anyone who got it)',
  access: 'admin',
  params: IdParams,
  responses: {
    200: json(CampaignView, 'The campaign'),
    409: problem('invalid_state'),
    ...forbidden,
    ...workflowUnavailable,
  },
  handler: ({ caller, params }, { campaigns }) =>
    campaigns.command(caller, params.id, { type: 'retryFailed' }),
});

export const inviteSendRoutes = (deps: Deps) => routes.router(deps);
