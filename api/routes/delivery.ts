import { timingSafeEqual } from 'node:crypto';
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config/config';
import type { Database } from '../../db/database';
import { DevInboxEmail } from '../../entities/DevInboxEmail';
import { adminOnly, callerOf } from '../auth';
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
import type { AccountService } from '../usecases/accounts';
import type { CampaignService } from '../usecases/campaigns';
import type { InviteService } from '../usecases/invites';
import type { WebhookService } from '../usecases/webhooks';
import { fromPostmarkWebhook, type PostmarkEvent } from '../../email/postmark-webhooks';
import { parse } from '../validate';
import { LessThan } from 'typeorm';
import { decodeCursor, encodeCursor } from '../usecases/cursor';
import { apiRouter } from '../router';
import {
  forbidden,
  json,
  postmarkSecurity,
  problem,
  security,
  workflowUnavailable,
} from '../openapi-helpers';

export const EmailProvider = registry.register(
  'EmailProvider',
  z
    .object({
      postmarkServerToken: z.string().trim().min(8).max(200),
      fromEmail: Email,
    })
    .strict(),
);
const EmailProviderView = z.object({
  fromEmail: z.string(),
  tokenConfigured: z.boolean(),
  tokenHint: z.string().nullable(),
});

registry.registerPath({
  method: 'put',
  path: '/v1/account/email-provider',
  operationId: 'setEmailProvider',
  summary: "The account's sender: its Postmark server token (stored encrypted) and from address",
  security,
  request: { body: { content: { 'application/json': { schema: EmailProvider } } } },
  responses: { 200: json(EmailProviderView, 'Saved'), ...forbidden },
});
const inviteErased = {
  410: {
    description: 'invite_erased: its recipient was erased; nothing is sent',
    content: { 'application/problem+json': { schema: InviteErasedProblem } },
  },
};
registry.registerPath({
  method: 'post',
  path: '/v1/invites/{id}/send',
  operationId: 'sendInvite',
  summary: 'Send (or resend) the invitation email now; records when it went out',
  security,
  request: { params: IdParams },
  responses: {
    200: json(InviteView, 'The invite'),
    409: problem(
      'invalid_state (the campaign has ended: `detail` says what to do); invite_expired: its own expiry passed, so it would email a dead link: use Reset & resend; or conflict: the address is suppressed (hard bounce, spam complaint, unsubscribed) or the email was refused',
    ),
    ...inviteErased,
    ...workflowUnavailable,
  },
});
registry.registerPath({
  method: 'post',
  path: '/v1/invites/{id}/reset',
  operationId: 'resetInvite',
  summary: 'Reset & resend: void the link (it then shows expired), issue a new one and email it',
  security,
  request: {
    params: IdParams,
    body: { content: { 'application/json': { schema: ResetInvite } }, required: false },
  },
  responses: {
    200: json(InviteView, 'The new invite that replaces it, with a fresh expiry'),
    409: problem(
      'invalid_state (the campaign has ended: `detail` says what to do, nothing is reset); or conflict: the address is suppressed (nothing is reset) or the email was refused',
    ),
    ...inviteErased,
    ...workflowUnavailable,
  },
});
registry.registerPath({
  method: 'post',
  path: '/v1/campaigns/{id}/retry-failed',
  operationId: 'retryFailedInvites',
  summary: 'Send again to the invites whose delivery failed (not bad addresses, not anyone who got it)',
  security,
  request: { params: IdParams },
  responses: {
    200: json(CampaignView, 'The campaign'),
    409: problem('invalid_state'),
    ...forbidden,
    ...workflowUnavailable,
  },
});
registry.registerPath({
  method: 'post',
  path: '/v1/webhooks/postmark',
  operationId: 'receivePostmarkWebhook',
  summary: 'Postmark webhooks (basic auth): Delivery, Bounce, SpamComplaint, Open, Click, SubscriptionChange',
  description:
    'An event counts only when its MessageID is one Herald recorded and its address (Email or Recipient) is the one that message went to; otherwise the answer is 200 {"handled": false}, so Postmark does not retry.',
  security: postmarkSecurity,
  responses: {
    200: json(z.object({ handled: z.boolean() }), 'Accepted (handled false: not a message Herald sent)'),
    401: problem('unauthorized (challenges Basic)'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/v1/outbox',
  operationId: 'listOutbox',
  summary: 'EMAIL_PROVIDER=outbox only: the emails that would have been sent',
  security,
  request: { query: Pagination },
  responses: {
    200: json(
      z.object({ data: z.array(z.record(z.unknown())), nextCursor: z.string().nullable() }),
      'Newest first',
    ),
    404: problem('not_found: the outbox exists only with EMAIL_PROVIDER=outbox'),
  },
});

export function deliveryRoutes(deps: {
  accounts: AccountService;
  campaigns: CampaignService;
  invites: InviteService;
  db: Database;
  config: Config;
}): Router {
  const router = apiRouter();
  const idOf = (params: unknown) => parse(IdParams, params, 'params').id;

  router.put('/account/email-provider', adminOnly, async (req, res) => {
    const body = parse(EmailProvider, req.body);
    res.json(
      await deps.accounts.setEmailProvider(callerOf(res).accountId, body.postmarkServerToken, body.fromEmail),
    );
  });

  const resend =
    (reset: boolean): RequestHandler =>
    async (req, res) => {
      const caller = callerOf(res);
      const id = idOf(req.params);
      const expiresIn = reset ? parse(ResetInvite, req.body ?? {}).expiresIn : undefined;
      const invite = await deps.invites.resendable(caller, id, reset && { expiresIn });
      const result = await deps.campaigns.run(caller, invite.campaignId, {
        type: 'resend',
        inviteId: invite.id,
        reset,
        ...(expiresIn !== undefined ? { expiresIn } : {}),
      });
      res.json(await deps.invites.viewById(caller, result.inviteId ?? invite.id));
    };
  router.post('/invites/:id/send', resend(false));
  router.post('/invites/:id/reset', resend(true));
  router.post('/campaigns/:id/retry-failed', adminOnly, async (req, res) => {
    res.json(await deps.campaigns.command(callerOf(res), idOf(req.params), { type: 'retryFailed' }));
  });

  router.get('/outbox', async (req, res) => {
    if (deps.config.email.provider !== 'outbox')
      throw new NotFoundError('The outbox (EMAIL_PROVIDER=outbox)');
    const { limit, cursor } = parse(Pagination, req.query, 'query');
    const rows = await deps.db.manager.find(DevInboxEmail, {
      where: {
        accountId: callerOf(res).accountId,
        ...(cursor ? { id: LessThan(decodeCursor(cursor)) } : {}),
      },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    res.json({
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
    });
  });
  return router;
}

/** Mounted before bearer auth: Postmark authenticates with basic auth from the config. */
export function webhookRoutes({
  webhooks,
  config,
  json,
}: {
  webhooks: WebhookService;
  config: Config;
  /** The body parser, run only once the credentials check out. */
  json: RequestHandler;
}): Router {
  const router = Router();
  const basicAuth: RequestHandler = (req, res, next) => {
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
  router.post('/v1/webhooks/postmark', basicAuth, json, async (req, res) => {
    // Anything Herald does not act on is still a 200, so Postmark does not retry it.
    const event = fromPostmarkWebhook((req.body ?? {}) as PostmarkEvent);
    res.json(event ? await webhooks.handle(event) : { handled: false });
  });
  return router;
}
