import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import { httpMetrics } from '../ops/metrics';
import { authenticate } from './auth';
import { requestLog } from './request-log';
import { notFoundRoute, problemHandler } from './problem-json';
import { openApiDocument } from './openapi';
import { parseQuery } from './percent-encoding';
import { createEmailPort } from '../email';
import type { EmailPort } from '../email/port';
import { platformSenderOf } from '../sending/sender';
import { accountRoutes } from './routes/account';
import { samplePageRoutes } from './routes/sample-pages';
import { CampaignPreviewService } from './usecases/campaign-preview';
import { SenderCheck } from './usecases/sender-check';
import { erasureRoutes } from './routes/erasure';
import { analyticsRoutes } from './routes/analytics';
import { auditRoutes } from './routes/audit';
import { ErasureService } from './usecases/erasure';
import { campaignRoutes } from './routes/campaigns';
import { consoleRoutes } from './routes/console';
import { healthRoutes } from './routes/health';
import { inviteSendRoutes } from './routes/invite-sends';
import { postmarkEventRoutes } from './routes/postmark-events';
import { outboxRoutes } from './routes/outbox';
import { OutboxService } from './usecases/outbox';
import { PostmarkEventService } from './usecases/postmark-events';
import { checkDeliverabilityGuards } from './usecases/deliverability-guards';
import { SecretBox } from '../security/secrets';
import { nudgeNotedInBackground } from '../webhooks/nudges';
import { inviteRoutes } from './routes/invites';
import { linkRoutes } from './routes/links';
import { webhookEndpointRoutes } from './routes/webhook-endpoints';
import { WebhookEndpointService } from './usecases/webhook-endpoints';
import { type PageLimits, pageRoutes } from './routes/pages';
import { suppressionRoutes, unsubscribeRoutes } from './routes/unsubscribe';
import { SuppressionService } from './usecases/suppressions';
import { UnsubscribeService } from './usecases/unsubscribes';
import { idempotency } from './idempotency';
import { jsonBody } from './json-body';
import { ContactService } from './usecases/contacts';
import { LinkService } from './usecases/links';
import { AccountService } from './usecases/accounts';
import { AnalyticsService } from './usecases/analytics';
import { AuditService } from './usecases/audit';
import { RecipientLookupService } from './usecases/recipient-lookup';
import { CampaignService } from './usecases/campaigns';
import { InviteService } from './usecases/invites';

export interface AppDeps {
  db: Database;
  temporal: Client;
  config: Config;
  /** Tests tighten or loosen the recipient pages' rate limits. */
  pageLimits?: Partial<PageLimits>;
  /** The entry point's shutdown state (ops/shutdown.ts): `/readyz` fails while draining. */
  drain?: { readonly draining: boolean };
  /** The email port the API checks senders and sends test emails with (default: EMAIL_PROVIDER's). */
  email?: EmailPort;
}

export function createApp({ db, temporal, config, pageLimits, drain, email }: AppDeps): Express {
  const secrets = SecretBox.fromConfig(config);
  const emailPort = email ?? createEmailPort(config, db);
  const sender = new SenderCheck({
    db,
    email: emailPort,
    secrets,
    platform: platformSenderOf(config),
  });
  const campaigns = new CampaignService({
    db,
    temporal,
    taskQueue: config.temporal.taskQueue,
    heartbeatTimeoutMs: config.temporal.heartbeatTimeoutMs,
    production: config.env === 'production',
    sender,
  });
  const accounts = new AccountService(db, secrets, (accountId) => campaigns.sendingPolicyChanged(accountId));
  const openapi = openApiDocument(config.publicBaseUrl);

  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer every request comes from it: trust it (and only it) for the client's address.
  app.set('trust proxy', config.trustProxy);
  app.set('query parser', parseQuery);
  // Bodies are parsed only after the caller is authenticated (inside each router), so an
  // anonymous request learns nothing but 401 and costs no parsing.
  const json = jsonBody();

  // First: every request is counted and logged under its route pattern, whatever answers it.
  app.use(httpMetrics());
  app.use(requestLog());
  // Every answer is what its Content-Type says: no browser may sniff a JSON body into a page.
  app.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use(healthRoutes({ db, temporal, drain }));
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi, { customSiteTitle: 'Herald API' }));

  app.use(consoleRoutes());
  const nudgeEndpoints = () => nudgeNotedInBackground(temporal, db, config.temporal);
  // Whatever a request recorded for webhooks (the journey from the recipient pages and the
  // links API, a reset…) is committed by the time its answer is sent: nudge its endpoints then
  // (a no-op when it recorded nothing), rather than leave it to the endpoints' idle poll.
  app.use((_req, res, next) => {
    res.on('finish', nudgeEndpoints);
    next();
  });
  app.use(
    postmarkEventRoutes({
      postmarkEvents: new PostmarkEventService(
        db,
        nudgeEndpoints,
        (accountId, campaignId) => checkDeliverabilityGuards({ db, temporal }, accountId, campaignId),
        config.analytics.prefetchWindowSeconds,
      ),
      config,
      json,
    }),
  );
  // One-click unsubscribe: no login, no cookie (RFC 8058).
  app.use(unsubscribeRoutes({ unsubscribes: new UnsubscribeService(db, secrets) }));
  // Where a preview's and a test email's links go: pages that say so, and change nothing.
  app.use(samplePageRoutes());
  const v1 = express.Router();
  v1.use(authenticate(db));
  v1.use(json);
  v1.use(idempotency(db, secrets));
  const audit = new AuditService(db);
  v1.use(
    campaignRoutes({
      campaigns,
      audit,
      preview: new CampaignPreviewService({
        db,
        email: emailPort,
        secrets,
        publicBaseUrl: config.publicBaseUrl,
        sender,
      }),
    }),
  );
  const invites = new InviteService({
    db,
    temporal,
    publicBaseUrl: config.publicBaseUrl,
    secrets,
    importLimits: config.imports,
  });
  v1.use(inviteRoutes({ invites, contacts: new ContactService(db) }));
  v1.use(inviteSendRoutes({ campaigns, invites }));
  v1.use(outboxRoutes({ outbox: new OutboxService(db, config.email.provider) }));
  v1.use(accountRoutes({ accounts }));
  const links = new LinkService(db, secrets, config.analytics.prefetchWindowSeconds);
  v1.use(linkRoutes({ links }));
  v1.use(
    erasureRoutes({ erasure: new ErasureService(db, secrets), recipients: new RecipientLookupService(db) }),
  );
  v1.use(auditRoutes({ audit }));
  v1.use(analyticsRoutes({ analytics: new AnalyticsService(db) }));
  v1.use(suppressionRoutes({ suppressions: new SuppressionService(db) }));
  v1.use(
    webhookEndpointRoutes({
      endpoints: new WebhookEndpointService({ db, temporal, secrets, config }),
    }),
  );
  app.use('/v1', v1);
  app.use(
    pageRoutes({
      links,
      limits: pageLimits,
      secureCookies: config.publicBaseUrl.startsWith('https://'),
    }),
  );

  app.use(notFoundRoute);
  app.use(problemHandler);
  return app;
}
