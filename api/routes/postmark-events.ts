import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Config } from '../../config/config';
import { fromPostmarkWebhook } from '../../email/postmark-webhooks';
import { UnauthorizedError } from '../errors';
import { registry } from '../schemas';
import { Routes } from '../route';
import type { PostmarkEventService } from '../usecases/postmark-events';
import { json, postmarkSecurity, problem } from '../openapi-helpers';

// Postmark's events coming in (deliveries, bounces, complaints, opens, clicks): not the
// webhooks Herald sends its customers (routes/webhook-endpoints.ts, webhooks/).

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
      UserAgent: z.string().nullish(),
    })
    .passthrough(),
);

type Deps = {
  postmarkEvents: PostmarkEventService;
  config: Config;
  /** The body parser, run only once the credentials check out. */
  json: RequestHandler;
};
const routes = new Routes<Deps>();

routes.add({
  method: 'post',
  path: '/v1/webhooks/postmark',
  operationId: 'receivePostmarkWebhook',
  summary: 'Postmark webhooks (basic auth): Delivery, Bounce, SpamComplaint, Open, Click, SubscriptionChange',
  description:
    'An event counts only when its MessageID is one Herald recorded and its address (Email or Recipient) is the one that message went to; otherwise the answer is 200 {"handled": false}, so Postmark does not retry. A hard bounce (Bounce, Type HardBounce) or a SpamComplaint on a campaign\'s email also checks the campaign against its account\'s complaint and bounce guards (sending policy `guards`): over one, the campaign pauses itself (`complaint_rate` / `bounce_rate`) and its owner is alerted.',
  // Mounted before bearer auth: Postmark authenticates with basic auth from the config.
  access: { security: postmarkSecurity, guard: ({ config, json }) => [basicAuth(config), json] },
  body: PostmarkEvent,
  responses: {
    200: json(z.object({ handled: z.boolean() }), 'Accepted (handled false: not a message Herald sent)'),
    401: problem('unauthorized (challenges Basic)'),
    503: problem(
      "unavailable: a complaint or hard bounce put its campaign over its guard, and the campaign's workflow could not be told to pause; the event is recorded, Postmark's retry tells it again",
    ),
  },
  handler: async ({ body }, { postmarkEvents }) => {
    // Anything Herald does not act on is still a 200, so Postmark does not retry it.
    const event = fromPostmarkWebhook(body);
    return event ? await postmarkEvents.handle(event) : { handled: false };
  },
});

export const postmarkEventRoutes = (deps: Deps) => routes.router(deps);

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
