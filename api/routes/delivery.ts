import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Config } from '../../config/config';
import type { Database } from '../../db/database';
import { DevInboxEmail } from '../../entities/DevInboxEmail';
import type { Caller } from '../auth';
import { NotFoundError, UnauthorizedError } from '../errors';
import {
  CampaignView,
  Email,
  IdParams,
  InviteErasedProblem,
  InviteView,
  Pagination,
  registry,
  ResetInvite,
} from '../schemas';
import { Routes } from '../route';
import type { AccountService } from '../usecases/accounts';
import type { CampaignService } from '../usecases/campaigns';
import type { InviteService } from '../usecases/invites';
import type { PostmarkEventService } from '../usecases/postmark-events';
import { fromPostmarkWebhook } from '../../email/postmark-webhooks';
import { LessThan } from 'typeorm';
import { decodeCursor, encodeCursor } from '../usecases/cursor';
import { forbidden, json, postmarkSecurity, problem, workflowUnavailable } from '../openapi-helpers';

export const EmailProvider = registry.register(
  'EmailProvider',
  z
    .object({
      postmarkServerToken: z.string().trim().min(8).max(200),
      fromEmail: Email,
      messageStream: z
        .string()
        .regex(/^[a-z0-9-]{1,30}$/, "a Postmark stream ID: lower-case letters, digits and '-'")
        .optional()
        .openapi({ description: 'The broadcast stream campaign email goes on (default `broadcast`)' }),
    })
    .strict(),
);
/**
 * What Herald reads of a Postmark webhook: the fields it acts on, each as Postmark types it
 * (null allowed where Postmark may send it); every other field passes, as Postmark adds fields.
 */
const PostmarkEvent = registry.register(
  'PostmarkEvent',
  z
    .object({
      RecordType: z.string().nullish(),
      MessageID: z.string().nullish(),
      Type: z.string().nullish(),
      Description: z.string().nullish(),
      Recipient: z.string().nullish(),
      Email: z.string().nullish(),
      SuppressSending: z.boolean().nullish(),
      SuppressionReason: z.string().nullish(),
    })
    .passthrough(),
);
const EmailProviderView = z.object({
  fromEmail: z.string(),
  tokenConfigured: z.boolean(),
  tokenHint: z.string().nullable(),
  messageStream: z.string(),
});

const inviteErased = {
  410: {
    description: 'invite_erased: its recipient was erased; nothing is sent',
    content: { 'application/problem+json': { schema: InviteErasedProblem } },
  },
};

type Deps = {
  accounts: AccountService;
  campaigns: CampaignService;
  invites: InviteService;
  db: Database;
  config: Config;
};
const routes = new Routes<Deps>('/v1');
type PostmarkEventDeps = {
  postmarkEvents: PostmarkEventService;
  config: Config;
  /** The body parser, run only once the credentials check out. */
  json: RequestHandler;
};
const postmarkRoutes = new Routes<PostmarkEventDeps>();

routes.add({
  method: 'put',
  path: '/v1/account/email-provider',
  operationId: 'setEmailProvider',
  summary: "The account's sender: its Postmark server token (stored encrypted) and from address",
  access: 'admin',
  body: EmailProvider,
  responses: { 200: json(EmailProviderView, 'Saved'), ...forbidden },
  handler: ({ caller, body }, { accounts }) =>
    accounts.setEmailProvider(caller.accountId, body.postmarkServerToken, body.fromEmail, body.messageStream),
});

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
postmarkRoutes.add({
  method: 'post',
  path: '/v1/webhooks/postmark',
  operationId: 'receivePostmarkWebhook',
  summary: 'Postmark webhooks (basic auth): Delivery, Bounce, SpamComplaint, Open, Click, SubscriptionChange',
  description:
    'An event counts only when its MessageID is one Herald recorded and its address (Email or Recipient) is the one that message went to; otherwise the answer is 200 {"handled": false}, so Postmark does not retry.',
  // Mounted before bearer auth: Postmark authenticates with basic auth from the config.
  access: { security: postmarkSecurity, guard: ({ config, json }) => [basicAuth(config), json] },
  body: PostmarkEvent,
  responses: {
    200: json(z.object({ handled: z.boolean() }), 'Accepted (handled false: not a message Herald sent)'),
    401: problem('unauthorized (challenges Basic)'),
  },
  handler: async ({ body }, { postmarkEvents }) => {
    // Anything Herald does not act on is still a 200, so Postmark does not retry it.
    const event = fromPostmarkWebhook(body);
    return event ? await postmarkEvents.handle(event) : { handled: false };
  },
});

routes.add({
  method: 'get',
  path: '/v1/outbox',
  operationId: 'listOutbox',
  summary: 'EMAIL_PROVIDER=outbox only: the emails that would have been sent',
  access: 'any',
  query: Pagination,
  responses: {
    200: json(
      z.object({ data: z.array(z.record(z.unknown())), nextCursor: z.string().nullable() }),
      'Newest first',
    ),
    404: problem('not_found: the outbox exists only with EMAIL_PROVIDER=outbox'),
  },
  handler: async ({ caller, query: { limit, cursor } }, { config, db }) => {
    if (config.email.provider !== 'outbox') throw new NotFoundError('The outbox (EMAIL_PROVIDER=outbox)');
    const rows = await db.manager.find(DevInboxEmail, {
      where: {
        accountId: caller.accountId,
        ...(cursor ? { id: LessThan(decodeCursor(cursor)) } : {}),
      },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      data: page.map((m) => ({
        id: m.id,
        to: m.toAddress,
        from: m.fromAddress,
        subject: m.subject,
        text: m.textBody,
        html: m.html,
        metadata: JSON.parse(m.metadata) as unknown,
        createdAt: m.createdAt.toISOString(),
      })),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  },
});

export const deliveryRoutes = (deps: Deps) => routes.router(deps);

export const postmarkEventRoutes = (deps: PostmarkEventDeps) => postmarkRoutes.router(deps);

function basicAuth(config: Config): RequestHandler {
  return (req, res, next) => {
    const { webhookUser, webhookPassword } = config.email;
    const [scheme, encoded] = (req.get('authorization') ?? '').split(' ');
    const given =
      scheme?.toLowerCase() === 'basic' && encoded ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
    const expected = Buffer.from(`${webhookUser ?? ''}:${webhookPassword ?? ''}`);
    const ok =
      Boolean(webhookUser && webhookPassword) &&
      given.length === expected.length &&
      timingSafeEqual(given, expected);
    if (!ok) {
      res.setHeader('WWW-Authenticate', 'Basic realm="herald-webhooks"');
      throw new UnauthorizedError(
        'Postmark webhooks need the basic-auth credentials from POSTMARK_WEBHOOK_USER / POSTMARK_WEBHOOK_PASSWORD',
      );
    }
    next();
  };
}
