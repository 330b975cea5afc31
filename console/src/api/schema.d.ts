/**
 * Generated from Herald's openapi.json by `npm run console:types`: do not edit by hand.
 * test/web-console-serving.test.ts fails when this file no longer matches the API.
 */
export interface paths {
  '/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This document (OpenAPI 3.1) */
    get: operations['getOpenApiDocument'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/account': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Balance, reserved and available cents */
    get: operations['getAccount'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Account settings: the grace after a campaign's expiry during which extending revives it */
    patch: operations['updateAccount'];
    trace?: never;
  };
  '/v1/me': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The key making this request: its account, id and role (what it may do) */
    get: operations['getCaller'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/account/funds': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Add funds (send an Idempotency-Key to make a retry safe) */
    post: operations['addFunds'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/account/usage': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Reservations, charges and releases per campaign */
    get: operations['getUsage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/account/sending-policy': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The account's sending limits, send window and complaint/bounce guards (`limits: []` and `window: null` when none; the guards' defaults until set) */
    get: operations['getSendingPolicy'];
    /**
     * Replace the account's sending limits and send window, and its complaint and bounce guards
     * @description Limits are sliding windows every email of the account counts against, across all its campaigns; the window is the local hours in which campaign email may go out (a campaign's own `sendWindow` wins); the guards say when a campaign pauses itself for its spam complaints (`complaint_rate`) or hard bounces (`bounce_rate`), left out = unchanged. A bad policy is refused whole, with every field that is wrong.
     */
    put: operations['setSendingPolicy'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/account/email-provider': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** The account's sender: its Postmark server token (stored encrypted) and from address */
    put: operations['setEmailProvider'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api-keys': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The account's API keys, newest first, revoked ones included (never the key itself) */
    get: operations['listApiKeys'];
    put?: never;
    /**
     * Create an API key for this account (the key is shown once)
     * @description The key is in this answer only; Herald keeps its hash. Repeating the request with the same Idempotency-Key does not show it again: that answers 409 `conflict` naming the key id (revoke it if the key was lost).
     */
    post: operations['createApiKey'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/api-keys/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Revoke a key: refused from the next request on, on every API process
     * @description An admin may revoke the key it is using, as long as another working admin key remains; the account's last admin key cannot be revoked (409). Revoking a revoked key answers it unchanged.
     */
    delete: operations['revokeApiKey'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/p/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Where the invitation link of a preview goes: a page saying so */
    get: operations['showPreviewLinkPage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/p/preview/unsubscribe': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The unsubscribe link of a preview: unsubscribes nobody */
    get: operations['showPreviewUnsubscribePage'];
    put?: never;
    /** A mail client's one-click unsubscribe (RFC 8058) of a preview: 200, nobody unsubscribed */
    post: operations['previewUnsubscribe'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/p/test': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Where the invitation link of a test email goes: a page saying so */
    get: operations['showTestLinkPage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/p/test/unsubscribe': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The unsubscribe link of a test email: unsubscribes nobody */
    get: operations['showTestUnsubscribePage'];
    put?: never;
    /** A mail client's one-click unsubscribe (RFC 8058) of a test email: 200, nobody unsubscribed */
    post: operations['testUnsubscribe'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/contacts/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Erase a saved contact: the person, everywhere in this account
     * @description Removes the person's name and address from contacts, invites, notifications, the dev outbox and exports, and their address from everything else the account holds or will send: webhook events (queued or delivered, so a retry does not resend it), pause reasons, order references and other text, where it is replaced by the reference; stored idempotent answers that quote it are deleted. Their invites are voided and lose their order reference: their links answer 410 and nothing more is sent to them. A suppression of the address keeps working. The audit log of each campaign they were in gets a `recipient_erased` entry with a non-reversible reference, never the address. Admin only.
     */
    delete: operations['eraseContact'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/recipients/erase': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Erase a person by address, everywhere in this account
     * @description Removes the person's name and address from contacts, invites, notifications, the dev outbox and exports, and their address from everything else the account holds or will send: webhook events (queued or delivered, so a retry does not resend it), pause reasons, order references and other text, where it is replaced by the reference; stored idempotent answers that quote it are deleted. Their invites are voided and lose their order reference: their links answer 410 and nothing more is sent to them. A suppression of the address keeps working. The audit log of each campaign they were in gets a `recipient_erased` entry with a non-reversible reference, never the address. Admin only. Erasing an address this account never had answers zeros.
     */
    post: operations['eraseRecipient'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/recipients': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Where a person's address stands in this account: contacts, invites per campaign, suppression
     * @description An exact match on the address as stored (trimmed, lower-case), in this account only: what an erasure of it would clear. The address is not logged. Admin only.
     */
    get: operations['findRecipient'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/analytics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A campaign's funnel (people and machines apart), outcomes and timeline
     * @description How many invites a person took at least to each stage (sent … completed), with the opens, clicks and page visits machines made counted apart (they move no journey: see docs/analytics.md for the rules); the conversion between stages; bounces, complaints, unsubscribes and failures; the median time from the email to the order; and a timeline of each stage by hour or day (UTC). Counted as events happen, so it answers as fast for a million invites as for ten. Both roles may read it: numbers only, no recipient. `?format=csv`: one row per step after a total row.
     */
    get: operations['getCampaignAnalytics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/analytics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The account's numbers over a period, per campaign, with a timeline
     * @description What happened between `from` and `to` (default: the last 30 days; at most 366): each stage people reached in the period, machines' opens, clicks and visits, and unsubscribes, for the account and per campaign. Counted by the hour: the hours the period touches. Both roles may read it. `?format=csv`: one row per campaign after a total row.
     */
    get: operations['getAccountAnalytics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The account's audit log: every campaign's entries and the account's own, newest first
     * @description Account entries have `campaignId: null`: sending policy and account settings changed, the sender set, API keys created and revoked, webhook endpoints added, enabled again and deleted, erasures, suppressions lifted. Filters combine; another account's entries are never shown (its campaign id finds nothing).
     */
    get: operations['listAccountAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** List campaigns, newest first */
    get: operations['listCampaigns'];
    put?: never;
    /** Create a draft campaign (starts its workflow) */
    post: operations['createCampaign'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One campaign with its status, reservation and progress */
    get: operations['getCampaign'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /** Edit a draft; `startAt` reschedules and `expiresAt` moves the expiry at any live status */
    patch: operations['updateCampaign'];
    trace?: never;
  };
  '/v1/campaigns/{id}/launch': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Reserve the cost and launch (scheduled when startAt is in the future)
     * @description The sender is checked first: the provider must accept the account's token (Postmark `GET /server`) and a from address must be set; if not, `409 sender_not_ready` says what to fix, and the campaign stays a draft with nothing reserved.
     */
    post: operations['launchCampaign'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/pause': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Pause: nothing more is sent; links keep working (admin or support) */
    post: operations['pauseCampaign'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/resume': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Resume to the phase it was paused in (admin or support) */
    post: operations['resumeCampaign'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Cancel: links show expired, the unsent part of the reservation is released */
    post: operations['cancelCampaign'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/audit': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The audit log: every status change and refused command, with actor and reason */
    get: operations['listCampaignAudit'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/preview': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The invitation as recipients will get it (subject, HTML, text), for a sample recipient or one invite
     * @description Rendered by the send pipeline's own renderer. The sample recipient's links open harmless pages (`/p/preview`), never an invite. Reading it changes nothing.
     */
    get: operations['previewCampaignEmail'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/test-send': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send the real invitation, subject after "[Test] ", to 1–5 addresses
     * @description Its links open a "this is a test" page (`/p/test`), and its List-Unsubscribe headers are the real ones with an inert link. Uses no invite, changes no counter, reserves no money; each email counts against the account's sending limits (`429 rate_limited` when they are reached, nothing sent). A suppressed address is skipped, with why. Audited (`test_sent`).
     */
    post: operations['testSendCampaignEmail'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the process answers */
    get: operations['getLiveness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness: the database and Temporal both answer, and the process is not shutting down */
    get: operations['getReadiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/invites/{id}/send': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send (or resend) the invitation email now; records when it went out */
    post: operations['sendInvite'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/invites/{id}/reset': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Reset & resend: void the link (it then shows expired), issue a new one and email it */
    post: operations['resetInvite'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/retry-failed': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send again to the invites whose delivery failed (not bad addresses, not anyone who got it) */
    post: operations['retryFailedInvites'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhooks/postmark': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Postmark webhooks (basic auth): Delivery, Bounce, SpamComplaint, Open, Click, SubscriptionChange
     * @description An event counts only when its MessageID is one Herald recorded and its address (Email or Recipient) is the one that message went to; otherwise the answer is 200 {"handled": false}, so Postmark does not retry. A hard bounce (Bounce, Type HardBounce) or a SpamComplaint on a campaign's email also checks the campaign against its account's complaint and bounce guards (sending policy `guards`): over one, the campaign pauses itself (`complaint_rate` / `bounce_rate`) and its owner is alerted.
     */
    post: operations['receivePostmarkWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/outbox': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** EMAIL_PROVIDER=outbox only: the emails that would have been sent */
    get: operations['listOutbox'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/invites': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The invite table */
    get: operations['listInvites'];
    put?: never;
    /** Add one invite */
    post: operations['createInvite'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/invites/bulk': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Add `count` link-only invites or a list of recipients */
    post: operations['createInvitesInBulk'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/invites/import': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Import recipients from CSV (header `email,name`; optional `timezone` and `phone`, international, stored in E.164), streamed; bad rows are reported, not imported. At most 1000000 rows and 167772160 bytes; a refused import adds nothing */
    post: operations['importInvitesCsv'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/invites/from-contacts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Invite saved contacts */
    post: operations['createInvitesFromContacts'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/campaigns/{id}/invites/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** CSV of selected invites with full URLs (formula-safe) */
    get: operations['exportInvitesCsv'];
    put?: never;
    /** CSV of selected invites, ids in the body (up to 10000: more than a URL holds) */
    post: operations['exportSelectedInvites'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/invites/{id}/link': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Copy link: the current URL */
    get: operations['getInviteLink'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/invites/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    /**
     * Change one invite's expiry (`expiresAt`, or `expiresIn` from now) and its reminder (audited)
     * @description The invite must be unused and not expired, in a campaign that is not over. The campaign's deadline timer follows at once: an earlier expiry is processed at the new instant, a reminder moved later is sent again then. An email already sent keeps the expiry it stated.
     */
    patch: operations['updateInvite'];
    trace?: never;
  };
  '/v1/contacts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Saved contacts */
    get: operations['listContacts'];
    put?: never;
    /** Save a contact */
    post: operations['createContact'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/contacts/import': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Save contacts from CSV (header `email,name`, as the invite import reads it); bad rows and addresses already saved are reported, not saved. At most 10000 rows and 2097152 bytes; a refused file saves nothing */
    post: operations['importContactsCsv'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/links/{token}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The invite behind a link token, with its journey and state */
    get: operations['getLink'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/links/{token}/start': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Record that the recipient started (like the Start button); starting again changes nothing */
    post: operations['startLink'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/links/{token}/complete': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Record that the recipient completed, with an optional order reference: the invite is used */
    post: operations['completeLink'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhook-endpoints': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The account's webhook endpoints (never their secrets) */
    get: operations['listWebhookEndpoints'];
    put?: never;
    /**
     * Add an endpoint for events (its signing secret is shown once)
     * @description Events are POSTed as `{type, timestamp, data}`, signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The URL must be https:// and resolve only to public addresses. The secret is in this answer only: repeating the request with the same Idempotency-Key answers 409 `conflict` naming the endpoint (delete it if the secret was lost).
     */
    post: operations['createWebhookEndpoint'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhook-endpoints/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One endpoint (never its secret) */
    get: operations['getWebhookEndpoint'];
    put?: never;
    post?: never;
    /** Delete an endpoint and its delivery log: nothing more is sent to it */
    delete: operations['deleteWebhookEndpoint'];
    options?: never;
    head?: never;
    /**
     * Disable or enable an endpoint, or change the event types it receives
     * @description A disabled endpoint is sent nothing: events meanwhile wait and go, in order, once it is enabled again (the owner is not emailed for a disabling a person did). Enabling starts a fresh retry period; deliveries given up earlier stay failed until retried. Changing `events` applies to events from then on.
     */
    patch: operations['updateWebhookEndpoint'];
    trace?: never;
  };
  '/v1/webhook-endpoints/{id}/deliveries': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The delivery log: each event for this endpoint, newest first, with its last attempt */
    get: operations['listWebhookDeliveries'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhook-deliveries/{id}/attempts': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One delivery's attempts, newest first: each one's HTTP status, latency, error and the retry it scheduled */
    get: operations['listWebhookAttempts'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/webhook-deliveries/{id}/retry': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Send an event again (a disabled endpoint is enabled again) */
    post: operations['retryWebhookDelivery'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/u/{token}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The unsubscribe page: a button that posts; it never unsubscribes by itself
     * @description Link scanners (e.g. Microsoft Safe Links) fetch every URL in a mail, so a GET (or HEAD) only shows the page. It names the sender, never the address.
     */
    get: operations['showUnsubscribePage'];
    put?: never;
    /**
     * One-click unsubscribe (RFC 8058): suppresses the address for the account at once
     * @description No cookie, no login, no confirmation: the body `List-Unsubscribe=One-Click` is enough. The address is suppressed for the account (reason `unsubscribed`) before the next send, audited without the address, and a `recipient.unsubscribed` webhook event is emitted. Repeating it changes nothing. The invitation link itself keeps working.
     */
    post: operations['unsubscribe'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/suppressions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The account's suppressed addresses (hard bounces, spam complaints, unsubscribes), newest first */
    get: operations['listSuppressions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/suppressions/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /**
     * Lift an unsubscribe: the address may be emailed again (audited)
     * @description Only an unsubscribe can be lifted; a hard bounce or a spam complaint is kept for good (409).
     */
    delete: operations['liftSuppression'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description RFC 9457 problem details with a stable `code`; some codes add the members described here */
    Problem: {
      type: string;
      title: string;
      status: number;
      /** @example validation_failed */
      code: string;
      detail: string;
      instance: string;
      /** @description validation_failed: each field refused and why */
      errors?: {
        field: string;
        message: string;
      }[];
      /** @description insufficient_balance: what the command needs */
      requiredCents?: number;
      /** @description insufficient_balance: the balance not yet reserved */
      availableCents?: number;
      /** @description invalid_state: the campaign's status (or a link's state) that refused the command */
      currentStatus?: string;
      /** @description invite_reset: the live invite that replaced this one */
      replacementId?: string | null;
      /** @description invite_reset: the replacement's link */
      replacementUrl?: string | null;
    };
    SendLimit: {
      /**
       * @description At most this many emails…
       * @example 1000
       */
      max: number;
      /**
       * @description …in any this many seconds (a sliding window, 1 to 2678400: 31 days)
       * @example 3600
       */
      windowSeconds: number;
    };
    /** @description When a campaign pauses itself for its spam complaints or hard bounces, counted per invite over the whole campaign (delivered = sent and not hard-bounced). Defaults: complaints over 0.1% once 1000 were delivered, hard bounces over 5% once 100 were sent */
    DeliverabilityGuards: {
      /**
       * @description Pause the campaign when spam complaints are more than this share of the emails delivered (a share: 0.001 = 0.1%; more than it, not equal to it; 1 turns this guard off)
       * @example 0.001
       */
      complaintRate: number;
      /**
       * @description …once at least this many emails of the campaign were delivered
       * @example 1000
       */
      complaintMinDelivered: number;
      /**
       * @description Pause the campaign when hard bounces are more than this share of the emails sent (a share: 0.05 = 5%; more than it, not equal to it; 1 turns this guard off)
       * @example 0.05
       */
      bounceRate: number;
      /**
       * @description …once at least this many emails of the campaign were sent
       * @example 100
       */
      bounceMinSent: number;
    };
    SendingPolicy: {
      /** @description Every email of the account counts against every limit, across all campaigns; none = no limit */
      limits: components['schemas']['SendLimit'][];
      /** @description Campaign email goes out only in these hours; null = any time. A campaign's own window wins */
      window: {
        /**
         * @description IANA time zone the hours are read in (a recipient's own zone wins when the invite has one)
         * @example Europe/Berlin
         */
        timeZone: string;
        /**
         * @description Each at most once
         * @example [
         *       "mon",
         *       "tue",
         *       "wed",
         *       "thu",
         *       "fri"
         *     ]
         */
        days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
        /**
         * @description HH:MM, 00:00 to 23:59
         * @example 09:00
         */
        from: string;
        /**
         * @description HH:MM, 00:00 to 24:00, not equal to from; before from spans midnight (22:00 to 06:00)
         * @example 17:30
         */
        to: string;
      } | null;
      guards: components['schemas']['DeliverabilityGuards'];
    };
    /** @description The whole policy: `limits` and `window` replace what was there; `guards`, when given, replaces the guards */
    UpdateSendingPolicy: {
      /** @description At most 10; [] = no limit */
      limits: components['schemas']['SendLimit'][];
      /** @description null = email may go out at any time */
      window: {
        /**
         * @description IANA time zone the hours are read in (a recipient's own zone wins when the invite has one)
         * @example Europe/Berlin
         */
        timeZone: string;
        /**
         * @description Each at most once
         * @example [
         *       "mon",
         *       "tue",
         *       "wed",
         *       "thu",
         *       "fri"
         *     ]
         */
        days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
        /**
         * @description HH:MM, 00:00 to 23:59
         * @example 09:00
         */
        from: string;
        /**
         * @description HH:MM, 00:00 to 24:00, not equal to from; before from spans midnight (22:00 to 06:00)
         * @example 17:30
         */
        to: string;
      } | null;
      /** @description The complaint and bounce guards; left out = the guards stay as they are (so a client that predates them keeps them) */
      guards?: {
        /**
         * @description Pause the campaign when spam complaints are more than this share of the emails delivered (a share: 0.001 = 0.1%; more than it, not equal to it; 1 turns this guard off)
         * @example 0.001
         */
        complaintRate?: number;
        /**
         * @description …once at least this many emails of the campaign were delivered
         * @example 1000
         */
        complaintMinDelivered?: number;
        /**
         * @description Pause the campaign when hard bounces are more than this share of the emails sent (a share: 0.05 = 5%; more than it, not equal to it; 1 turns this guard off)
         * @example 0.05
         */
        bounceRate?: number;
        /**
         * @description …once at least this many emails of the campaign were sent
         * @example 100
         */
        bounceMinSent?: number;
      };
    };
    CreateCampaign: {
      name: string;
      description?: string;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      startAt?: string;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      expiresAt?: string;
      batch?: {
        /** @description Invites per batch; null sends all at once */
        size: number | null;
        /** @description Minutes between batches; decimals allowed */
        gapMinutes: number;
      };
      /** @description Defaults to 10 */
      costPerInviteCents?: number;
      /** @description Pause when more of a batch fails (not bad addresses); default 20 */
      maxFailurePercent?: number;
      /** @description Invitations attach an iCalendar invite for it; changing it sends updates */
      event?: {
        title: string;
        /**
         * Format: date-time
         * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
         * @example 2026-12-01T09:00:00Z
         */
        startsAt: string;
        durationMinutes: number;
        location?: string | null;
      };
      email?: {
        subject?: string;
        fromName?: string;
      };
      /** @description This campaign's own send window; absent or null = the account's */
      sendWindow?: {
        /**
         * @description IANA time zone the hours are read in (a recipient's own zone wins when the invite has one)
         * @example Europe/Berlin
         */
        timeZone: string;
        /**
         * @description Each at most once
         * @example [
         *       "mon",
         *       "tue",
         *       "wed",
         *       "thu",
         *       "fri"
         *     ]
         */
        days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
        /**
         * @description HH:MM, 00:00 to 23:59
         * @example 09:00
         */
        from: string;
        /**
         * @description HH:MM, 00:00 to 24:00, not equal to from; before from spans midnight (22:00 to 06:00)
         * @example 17:30
         */
        to: string;
      } | null;
      /**
       * @description Your own page: a working link answers 303 there with `herald_token=<token>` added to the query (read the invite with GET /v1/links/{token}). `https://` only (outside production also `http://` to localhost), no control characters; stored as links use it (host lower-cased, spaces percent-encoded…); null = Herald's own page
       * @example https://shop.example.com/redeem
       */
      landingUrl?: string | null;
      /** @description The link first asks the visitor for the invite's email address and opens only when it matches (case-insensitive); wrong answers are rate-limited and audited. Invites without an address open as usual */
      requireEmailMatch?: boolean;
      /** @description What each invite added to this campaign gets when it does not say: its expiry and its reminder. A value the invite gives wins, field by field */
      inviteDefaults?: {
        /** @description Each invite's expiry when it names none: `never`, `1d`, `7d`, `30d` (counted from when it is added) or an ISO instant (in the future). Absent: never */
        expiresIn?: ('never' | '1d' | '7d' | '30d') | string;
        /** @description Email a reminder this many days before the invite expires, when the invite names no reminder of its own (decimals allowed); needs an expiresIn other than never */
        reminderDaysBefore?: number;
      };
      /** @description Open and link tracking of this campaign's emails: off unless asked (recipient data is not used for behavioural profiling by default). Applies from the next email sent. Opens and clicks machines make (image proxies, link scanners) are counted apart and move no journey: see GET /v1/campaigns/{id}/analytics */
      tracking?: {
        /** @description Ask the email provider to record when each email is opened (a pixel in the email) */
        opens?: boolean;
        /** @description Ask the email provider to record when the email's links are followed (links go through the provider first) */
        links?: boolean;
      };
    };
    Campaign: {
      /** Format: uuid */
      id: string;
      name: string;
      description: string | null;
      /** @enum {string} */
      status: 'draft' | 'scheduled' | 'launching' | 'active' | 'paused' | 'expired' | 'cancelled';
      /** @enum {string|null} */
      pausedReason:
        'manual' | 'email_token_invalid' | 'failure_rate' | 'complaint_rate' | 'bounce_rate' | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      startAt: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      expiresAt: string | null;
      /**
       * Format: date-time
       * @description Expired within the account's grace (expiryGraceDays): until this instant, PATCHing expiresAt revives it
       * @example 2026-12-01T09:00:00Z
       */
      extendableUntil: string | null;
      /** @description Sending holds back until `until` (sending_limit: the account sending limits are used up for now, or the provider asked to slow down; send_window: no recipient left is inside the send window on their clock); null when not waiting */
      waiting: {
        /** @enum {string} */
        reason: 'sending_limit' | 'send_window';
        /**
         * Format: date-time
         * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
         * @example 2026-12-01T09:00:00Z
         */
        until: string;
      } | null;
      batch: {
        size: number | null;
        gapMinutes: number;
      };
      costPerInviteCents: number;
      maxFailurePercent: number;
      /** @description Invitations attach an iCalendar invite for it; changing it sends updates */
      event: {
        title: string;
        /**
         * Format: date-time
         * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
         * @example 2026-12-01T09:00:00Z
         */
        startsAt: string;
        durationMinutes: number;
        location?: string | null;
      } | null;
      email: {
        subject: string | null;
        fromName: string | null;
      };
      /** @description This campaign's own send window; null = the account's (GET /v1/account/sending-policy) */
      sendWindow: {
        /**
         * @description IANA time zone the hours are read in (a recipient's own zone wins when the invite has one)
         * @example Europe/Berlin
         */
        timeZone: string;
        /**
         * @description Each at most once
         * @example [
         *       "mon",
         *       "tue",
         *       "wed",
         *       "thu",
         *       "fri"
         *     ]
         */
        days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
        /**
         * @description HH:MM, 00:00 to 23:59
         * @example 09:00
         */
        from: string;
        /**
         * @description HH:MM, 00:00 to 24:00, not equal to from; before from spans midnight (22:00 to 06:00)
         * @example 17:30
         */
        to: string;
      } | null;
      /** @description Where a working link sends the recipient; null = Herald's own page */
      landingUrl: string | null;
      requireEmailMatch: boolean;
      /** @description What an invite added without its own expiry or reminder gets */
      inviteDefaults: {
        /** @description `never`, `1d`, `7d`, `30d` or an ISO instant; null: none */
        expiresIn: string | null;
        reminderDaysBefore: number | null;
      };
      /** @description Whether its emails ask the provider to track opens and link clicks */
      tracking: {
        opens: boolean;
        links: boolean;
      };
      reservedCents: number;
      progress: {
        total: number;
        pending: number;
        sent: number;
        failed: number;
        used: number;
        expired: number;
        voided: number;
      };
      /** @description What this caller may do to the campaign now, by its status, its expiry grace and the key's role (support: pause, resume, resend, reset). edit: the draft's own fields; extend: PATCH expiresAt (an expired campaign within its grace comes back); reschedule, change_event, change_send_window, change_link_settings, set_max_failure_percent: those PATCH fields; change_batch: PATCH batch (a draft's, or a launched campaign's next batches); resend, reset: its invites' */
      actions: (
        | 'launch'
        | 'pause'
        | 'resume'
        | 'cancel'
        | 'edit'
        | 'reschedule'
        | 'extend'
        | 'change_event'
        | 'change_send_window'
        | 'change_link_settings'
        | 'set_max_failure_percent'
        | 'change_batch'
        | 'retry_failed'
        | 'add_invites'
        | 'resend'
        | 'reset'
        | 'preview'
        | 'test_send'
      )[];
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      updatedAt: string;
    };
    Pause: {
      /** @description A note, kept as the reason of the audit entry. A pause by a person is always `manual`, whatever the text */
      reason?: string;
    };
    /** @description All or nothing: if any part is refused, nothing changes. Draft fields may change only while the campaign is a draft (batch also later, see batch); sendWindow, landingUrl, requireEmailMatch and inviteDefaults while it is not over; startAt, expiresAt, maxFailurePercent and a launched campaign’s batch go through its workflow. */
    UpdateCampaign: {
      /** @description Changing it on a launched campaign sends "update calendar invites" (same UID, higher SEQUENCE) */
      event?: {
        title: string;
        /**
         * Format: date-time
         * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
         * @example 2026-12-01T09:00:00Z
         */
        startsAt: string;
        durationMinutes: number;
        location?: string | null;
      } | null;
      name?: string;
      description?: string | null;
      /** @description A draft's own field; on a scheduled, launching, active or paused campaign its workflow takes it (audited): the next batch has the new size, a gap under way is measured again with the new gap from the end of the last batch, and the batch under way counts what it sent against the new size (a smaller size ends it at once). Refused (409) once the campaign is over */
      batch?: {
        /** @description Invites per batch; null sends all at once */
        size: number | null;
        /** @description Minutes between batches; decimals allowed */
        gapMinutes: number;
      };
      costPerInviteCents?: number;
      /** @description At any live status: a launched campaign applies it from its next batch */
      maxFailurePercent?: number;
      email?: {
        subject?: string | null;
        fromName?: string | null;
      };
      /**
       * Format: date-time
       * @description Reschedules: earlier, later, or past = start now
       * @example 2026-12-01T09:00:00Z
       */
      startAt?: string;
      /**
       * Format: date-time
       * @description Moves the expiry timer; after expiry, within the account's grace, revives it
       * @example 2026-12-01T09:00:00Z
       */
      expiresAt?: string;
      /** @description This campaign's own send window; null = the account's. At any status but cancelled (or expired past its grace): a launched campaign applies it from the next email it sends */
      sendWindow?: {
        /**
         * @description IANA time zone the hours are read in (a recipient's own zone wins when the invite has one)
         * @example Europe/Berlin
         */
        timeZone: string;
        /**
         * @description Each at most once
         * @example [
         *       "mon",
         *       "tue",
         *       "wed",
         *       "thu",
         *       "fri"
         *     ]
         */
        days: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
        /**
         * @description HH:MM, 00:00 to 23:59
         * @example 09:00
         */
        from: string;
        /**
         * @description HH:MM, 00:00 to 24:00, not equal to from; before from spans midnight (22:00 to 06:00)
         * @example 17:30
         */
        to: string;
      } | null;
      /**
       * @description Your own page for this campaign's links (see CreateCampaign); null = Herald's own page. At any status but cancelled (or expired past its grace): applies to the next link opened
       * @example https://shop.example.com/redeem
       */
      landingUrl?: string | null;
      /** @description The link first asks the visitor for the invite's email address and opens only when it matches (case-insensitive); wrong answers are rate-limited and audited. Invites without an address open as usual */
      requireEmailMatch?: boolean;
      /** @description Replaces the invite defaults (see CreateCampaign); null: none. At any status but cancelled (or expired past its grace): applies to the next invite added */
      inviteDefaults?: {
        /** @description Each invite's expiry when it names none: `never`, `1d`, `7d`, `30d` (counted from when it is added) or an ISO instant (in the future). Absent: never */
        expiresIn?: ('never' | '1d' | '7d' | '30d') | string;
        /** @description Email a reminder this many days before the invite expires, when the invite names no reminder of its own (decimals allowed); needs an expiresIn other than never */
        reminderDaysBefore?: number;
      } | null;
      /** @description Open and link tracking (see CreateCampaign); a field left out stays as it is. At any status but cancelled (or expired past its grace): applies to the next email sent */
      tracking?: {
        /** @description Ask the email provider to record when each email is opened (a pixel in the email) */
        opens?: boolean;
        /** @description Ask the email provider to record when the email's links are followed (links go through the provider first) */
        links?: boolean;
      };
    };
    AuditEntry: {
      id: string;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      at: string;
      /** @description API key id, `temporal-signal`, `system` or `recipient` (at their link) */
      actor: string;
      action: string;
      fromStatus: string | null;
      toStatus: string | null;
      reason: string | null;
      details: {
        [key: string]: unknown;
      } | null;
    };
    /** @description The invitation as the send pipeline renders it (one renderer). Reading it changes nothing. */
    EmailPreview: {
      /** @description The invite rendered; null for the sample recipient */
      inviteId: string | null;
      from: string;
      /** @description The recipient (null: a link-only invite) */
      to: string | null;
      subject: string;
      html: string;
      text: string;
      /** @description The Postmark stream it goes on (the account's broadcast stream) */
      messageStream: string;
      /** @description List-Unsubscribe, List-Unsubscribe-Post, List-Id */
      headers: {
        [key: string]: string;
      };
      attachments: {
        name: string;
        contentType: string;
      }[];
    };
    TestSendBody: {
      /** @description 1 to 5 addresses (each checked like every recipient address) */
      to: string[];
    };
    TestSendResult: {
      /** @description As sent: the invitation subject after `[Test] ` */
      subject: string;
      results: {
        email: string;
        sent: boolean;
        /** @description Why it was not sent: the provider refused it, or the address is suppressed */
        error: string | null;
      }[];
    };
    Account: {
      id: string;
      name: string;
      ownerEmail: string;
      balanceCents: number;
      reservedCents: number;
      availableCents: number;
      expiryGraceDays: number;
    };
    Caller: {
      accountId: string;
      keyId: string;
      /**
       * @description What the key may do: support may read, pause, resume, resend, reset and copy links
       * @enum {string}
       */
      role: 'admin' | 'support';
    };
    UpdateAccount: {
      /** @description How long after a campaign expires extending its expiry still revives it (decimals allowed; 0 = never) */
      expiryGraceDays: number;
    };
    AddFunds: {
      amountCents: number;
    };
    Usage: {
      data: {
        campaignId: string;
        campaignName: string;
        reservedCents: number;
        chargedCents: number;
        releasedCents: number;
        /** @description Reserved and not yet charged or released */
        heldCents: number;
      }[];
      totals: {
        reservedCents: number;
        chargedCents: number;
        releasedCents: number;
        fundedCents: number;
      };
    };
    EmailProvider: {
      postmarkServerToken: string;
      /**
       * Format: email
       * @example ada@example.com
       */
      fromEmail: string;
      /** @description The broadcast stream campaign email goes on (default `broadcast`) */
      messageStream?: string;
    };
    CreateInvite: {
      /**
       * Format: email
       * @example ada@example.com
       */
      email?: string;
      name?: string;
      /**
       * @description The recipient's own zone: the send window is read on their clock
       * @example Europe/Berlin
       */
      timeZone?: string;
      /**
       * @description Optional, international (`+` and the country code); stored and shown in E.164
       * @example +44 20 7946 0958
       */
      phone?: string;
      /** @description `never`, `1d`, `7d`, `30d` or an ISO instant; the campaign expiry wins if it comes first */
      expiresIn?: ('never' | '1d' | '7d' | '30d') | string;
      /** @description Email a reminder this many days before the invite expires (decimals allowed) */
      reminderDaysBefore?: number;
      /** @description On a launched campaign, email it on arrival (default true when it has an email) */
      send?: boolean;
    };
    BulkInvites:
      | {
          /** @description Link-only invites */
          count: number;
          /** @description `never`, `1d`, `7d`, `30d` or an ISO instant; the campaign expiry wins if it comes first */
          expiresIn?: ('never' | '1d' | '7d' | '30d') | string;
          /** @description Email a reminder this many days before the invite expires (decimals allowed) */
          reminderDaysBefore?: number;
        }
      | {
          recipients: {
            /**
             * Format: email
             * @example ada@example.com
             */
            email: string;
            name?: string;
            /**
             * @description The recipient's own zone: the send window is read on their clock
             * @example Europe/Berlin
             */
            timeZone?: string;
            /**
             * @description Optional, international (`+` and the country code); stored and shown in E.164
             * @example +44 20 7946 0958
             */
            phone?: string;
          }[];
          /** @description `never`, `1d`, `7d`, `30d` or an ISO instant; the campaign expiry wins if it comes first */
          expiresIn?: ('never' | '1d' | '7d' | '30d') | string;
          /** @description Email a reminder this many days before the invite expires (decimals allowed) */
          reminderDaysBefore?: number;
        };
    InvitesFromContacts: {
      contactIds: string[];
      /** @description `never`, `1d`, `7d`, `30d` or an ISO instant; the campaign expiry wins if it comes first */
      expiresIn?: ('never' | '1d' | '7d' | '30d') | string;
      /** @description Email a reminder this many days before the invite expires (decimals allowed) */
      reminderDaysBefore?: number;
    };
    ImportReport: {
      imported: number;
      rejected: {
        row: number;
        email: string;
        reason: string;
      }[];
    };
    Invite: {
      id: string;
      name: string | null;
      email: string | null;
      /** @description The recipient's IANA time zone, when given: the send window is read on their clock */
      timeZone: string | null;
      /** @description The recipient's phone number in E.164, when given */
      phone: string | null;
      /** @description The private link */
      url: string;
      /** @enum {string} */
      status: 'unused' | 'used';
      /** @enum {string} */
      linkState: 'ready' | 'expired' | 'completed' | 'not_open' | 'not_found';
      journey: string;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      sentAt: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      expiresAt: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      reminderAt: string | null;
      order: string | null;
      delivery: {
        status: string | null;
        error: string | null;
      };
      /**
       * @description Why the account may not email this address now (an unsubscribe, a hard bounce, a spam complaint), even after the invite was sent; null: it may
       * @enum {string|null}
       */
      suppressed: 'hard_bounce' | 'spam_complaint' | 'unsubscribed' | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      createdAt: string;
    };
    ExportInvites: {
      /** @description The invites to export (at most 10000) */
      ids: string[];
    };
    /** @description RFC 9457 problem details with a stable `code`; some codes add the members described here */
    InviteResetProblem: components['schemas']['Problem'] & {
      /** @enum {string} */
      code?: 'invite_reset';
      /** @description The live invite that replaced it */
      replacementId: string | null;
      /** @description Its link: copy this one */
      replacementUrl: string | null;
    };
    /** @description RFC 9457 problem details with a stable `code`; some codes add the members described here */
    InviteErasedProblem: components['schemas']['Problem'] & {
      /** @enum {string} */
      code?: 'invite_erased';
    };
    ResetInvite: {
      /** @description The new invite's expiry: `never`, `1d`, `7d`, `30d` or an ISO instant; absent, it lasts as long as the original did (its expiresAt minus its createdAt), from the reset */
      expiresIn?: ('never' | '1d' | '7d' | '30d') | string;
    };
    UpdateInvite: {
      /**
       * Format: date-time
       * @description The new expiry, an ISO instant in the future
       * @example 2026-12-01T09:00:00Z
       */
      expiresAt?: string;
      /** @description `never`, `1d`, `7d`, `30d` or an ISO instant; the campaign expiry wins if it comes first */
      expiresIn?: ('never' | '1d' | '7d' | '30d') | string;
      /** @description Days before the expiry to email a reminder; null: none. Absent: as it was */
      reminderDaysBefore?: number | null;
    };
    CreateContact: {
      /**
       * Format: email
       * @example ada@example.com
       */
      email: string;
      name?: string;
    };
    Contact: {
      id: string;
      email: string;
      name: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      createdAt: string;
    };
    Link: {
      /** @description The invite id */
      id: string;
      campaignId: string;
      name: string | null;
      email: string | null;
      /** @enum {string} */
      status: 'unused' | 'used';
      /**
       * @description What the link does now: only a `ready` link may be started or completed
       * @enum {string}
       */
      linkState: 'ready' | 'expired' | 'completed' | 'not_open' | 'not_found';
      /** @description How far the recipient got: created, sent, delivered, opened, clicked, viewed, started, completed */
      journey: string;
      /** @description The order reference given on completion */
      order: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      usedAt: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      expiresAt: string | null;
    };
    CompleteLink: {
      /**
       * @description Your order reference, kept on the invite (shown as `order`)
       * @example PO-1234
       */
      order?: string;
    };
    CreateApiKey: {
      /** @enum {string} */
      role: 'admin' | 'support';
      /** @description A label, e.g. "CI" */
      name?: string;
    };
    CreatedApiKey: {
      id: string;
      /** @enum {string} */
      role: 'admin' | 'support';
      name: string | null;
      /** @description Shown once: only its hash is stored. A replay of the request (same Idempotency-Key) is a 409 naming the key id, never the key again */
      key: string;
    };
    ApiKey: {
      id: string;
      /** @enum {string} */
      role: 'admin' | 'support';
      name: string | null;
      /** @description The first characters of the key, to tell keys apart */
      prefix: string;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      createdAt: string;
      /**
       * Format: date-time
       * @description Updated at most about once a minute
       * @example 2026-12-01T09:00:00Z
       */
      lastUsedAt: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      revokedAt: string | null;
    };
    ApiKeyList: {
      data: components['schemas']['ApiKey'][];
      nextCursor: string | null;
    };
    EraseRecipient: {
      /**
       * Format: email
       * @example ada@example.com
       */
      email: string;
    };
    ErasureReport: {
      /**
       * @description The non-reversible reference (keyed HMAC-SHA-256 of the address) the audit log and suppression list keep instead of the address
       * @example erased:0000000000000000000000000000000000000000000000000000000000000000
       */
      reference: string;
      /** @description Rows deleted or cleared, per kind */
      erased: {
        contacts: number;
        invites: number;
        notifications: number;
        outboxEmails: number;
        suppressions: number;
        idempotentAnswers: number;
        auditEntries: number;
        /** @description Outgoing webhook events (queued or delivered) rewritten without the address or order */
        webhookEvents: number;
        /** @description Other rows whose text quoted the address (a campaign text, an order reference, an error): it now reads the reference */
        freeText: number;
      };
    };
    CreateWebhookEndpoint: {
      /**
       * @description Where events are POSTed: https:// to a public address (http:// only to loopback, and only with ALLOW_HTTP_WEBHOOKS=true outside production)
       * @example https://example.com/herald/webhooks
       */
      url: string;
      /** @description The event types to receive (default: all, including types added later) */
      events?: (
        | 'campaign.status_changed'
        | 'campaign.finished'
        | 'invite.sent'
        | 'invite.delivered'
        | 'invite.opened'
        | 'invite.clicked'
        | 'invite.viewed'
        | 'invite.started'
        | 'invite.completed'
        | 'invite.bounced'
        | 'invite.failed'
        | 'invite.expired'
        | 'invite.reset'
        | 'recipient.unsubscribed'
      )[];
      /** @description Requests in flight to it at once, 1–64 (one invite's events still go one at a time, in order); null or absent: the server's WEBHOOK_CONCURRENCY (16 unless configured). 1 delivers every event in the order it happened */
      concurrency?: number | null;
    };
    WebhookEndpoint: {
      id: string;
      url: string;
      /** @description The event types it receives; null = all */
      events:
        | (
            | 'campaign.status_changed'
            | 'campaign.finished'
            | 'invite.sent'
            | 'invite.delivered'
            | 'invite.opened'
            | 'invite.clicked'
            | 'invite.viewed'
            | 'invite.started'
            | 'invite.completed'
            | 'invite.bounced'
            | 'invite.failed'
            | 'invite.expired'
            | 'invite.reset'
            | 'recipient.unsubscribed'
          )[]
        | null;
      /** @description Requests in flight to it at once; null: the server's WEBHOOK_CONCURRENCY */
      concurrency: number | null;
      /**
       * @description disabled: nothing is sent to it (it failed for the whole retry period, or a person disabled it); enabling it, or retrying a delivery, enables it again
       * @enum {string}
       */
      state: 'enabled' | 'disabled';
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      failingSince: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      disabledAt: string | null;
      /**
       * @description Why it is disabled: `failing` for the whole retry period (the owner was emailed), or `manual` (a person disabled it); null while enabled
       * @enum {string|null}
       */
      disabledReason: 'failing' | 'manual' | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      createdAt: string;
    };
    CreatedWebhookEndpoint: components['schemas']['WebhookEndpoint'] & {
      /**
       * @description The signing secret (`whsec_` + base64), shown once: verify each request with a Standard Webhooks library
       * @example whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
       */
      secret: string;
    };
    WebhookEndpointList: {
      data: components['schemas']['WebhookEndpoint'][];
    };
    WebhookDelivery: {
      id: string;
      /** @description The `webhook-id` of every attempt */
      eventId: string;
      eventType: string;
      /** @enum {string} */
      state: 'pending' | 'delivered' | 'failed';
      attempts: number;
      /** @description The receiver's last HTTP status; null: no answer (timeout, refused) */
      lastStatus: number | null;
      lastLatencyMs: number | null;
      lastError: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      lastAttemptAt: string | null;
      /**
       * Format: date-time
       * @description When it is tried next (pending only)
       * @example 2026-12-01T09:00:00Z
       */
      nextAttemptAt: string | null;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      createdAt: string;
    };
    WebhookDeliveryList: {
      data: components['schemas']['WebhookDelivery'][];
      nextCursor: string | null;
    };
    /** @description What to change; a field left out stays as it is */
    UpdateWebhookEndpoint: {
      /**
       * @description disabled: nothing more is sent to it (events meanwhile wait, and go once it is enabled again; the owner is not emailed); enabled: it sends again, with a fresh retry period. Deliveries given up stay failed: retry the ones wanted
       * @enum {string}
       */
      state?: 'enabled' | 'disabled';
      /** @description The event types it receives from now on; null = all, including types added later */
      events?:
        | (
            | 'campaign.status_changed'
            | 'campaign.finished'
            | 'invite.sent'
            | 'invite.delivered'
            | 'invite.opened'
            | 'invite.clicked'
            | 'invite.viewed'
            | 'invite.started'
            | 'invite.completed'
            | 'invite.bounced'
            | 'invite.failed'
            | 'invite.expired'
            | 'invite.reset'
            | 'recipient.unsubscribed'
          )[]
        | null;
      /** @description Requests in flight to it at once, 1–64 (one invite's events still go one at a time, in order); null or absent: the server's WEBHOOK_CONCURRENCY (16 unless configured). 1 delivers every event in the order it happened */
      concurrency?: number | null;
    };
    WebhookAttempt: {
      id: string;
      /**
       * Format: date-time
       * @description When it was sent
       * @example 2026-12-01T09:00:00Z
       */
      at: string;
      /** @description The receiver's HTTP status; null: no answer (timeout, refused) */
      status: number | null;
      /** @description From sending to the answer (or to giving up on one) */
      latencyMs: number;
      /** @description What went wrong, in words; null when delivered */
      error: string | null;
      /**
       * Format: date-time
       * @description The retry this failure scheduled; null when delivered, or when it was the last
       * @example 2026-12-01T09:00:00Z
       */
      nextAttemptAt: string | null;
    };
    WebhookAttemptList: {
      data: components['schemas']['WebhookAttempt'][];
      nextCursor: string | null;
    };
    Suppression: {
      /** Format: uuid */
      id: string;
      /** @description The address, or `erased:<reference>` once its person was erased */
      email: string;
      /** @enum {string} */
      reason: 'hard_bounce' | 'spam_complaint' | 'unsubscribed';
      /**
       * @description For an unsubscribe: the one-click POST, the page, or the provider; null otherwise
       * @enum {string|null}
       */
      source: 'one-click' | 'page' | 'provider' | null;
      /** Format: date-time */
      createdAt: string;
    };
    UnsubscribeForm: {
      /** @enum {string} */
      'List-Unsubscribe': 'One-Click';
      /**
       * @description Set by Herald's own page: the source is `page`
       * @enum {string}
       */
      via?: 'page';
    };
    RecipientLookup: {
      /** @description The address as Herald stores and matches it (trimmed, lower-case) */
      email: string;
      contacts: {
        id: string;
        name: string | null;
        /**
         * Format: date-time
         * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
         * @example 2026-12-01T09:00:00Z
         */
        createdAt: string;
      }[];
      /** @description Each campaign with an invite to the address, newest campaign first */
      campaigns: {
        campaignId: string;
        campaignName: string;
        /** @description Invites to this address in the campaign */
        invites: number;
      }[];
      /** @description Why the account may not email the address, if it may not */
      suppression: {
        /** @enum {string} */
        reason: 'hard_bounce' | 'spam_complaint' | 'unsubscribed';
        /**
         * Format: date-time
         * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
         * @example 2026-12-01T09:00:00Z
         */
        createdAt: string;
      } | null;
    };
    AccountAuditEntry: components['schemas']['AuditEntry'] & {
      /** @description Null: an entry about the account as a whole */
      campaignId: string | null;
      campaignName: string | null;
    };
    CampaignAnalytics: {
      /** Format: uuid */
      campaignId: string;
      funnel: {
        /** @enum {string} */
        stage: 'sent' | 'delivered' | 'opened' | 'clicked' | 'viewed' | 'started' | 'completed';
        /** @description Invites a person took at least this far */
        people: number;
        /** @description Opens, clicks or page visits machines made (image proxies, link scanners, HEAD requests): counted apart, they move no journey; 0 for stages machines do not reach */
        machines: number;
        /** @description people ÷ the previous stage’s people (0 to 1); null for the first stage or after 0 */
        conversion: number | null;
      }[];
      outcomes: {
        /** @description Invites whose email hard-bounced */
        bounced: number;
        /** @description Invites whose recipient marked the email as spam */
        complained: number;
        /** @description Recipients who unsubscribed from this campaign’s email */
        unsubscribed: number;
        /** @description Invites never sent: refused by the provider, or the address was suppressed */
        failed: number;
      };
      /** @description Median time from the invitation email to the order, within 5%; null before any completion */
      medianSecondsSentToCompleted: number | null;
      /** @enum {string} */
      interval: 'hour' | 'day';
      /** @description Each stage reached, per step, oldest first; steps with nothing are left out */
      timeline: {
        sent: number;
        delivered: number;
        opened: number;
        clicked: number;
        viewed: number;
        started: number;
        completed: number;
        machineOpened: number;
        machineClicked: number;
        machineViewed: number;
        unsubscribed: number;
        /**
         * Format: date-time
         * @description Start of the step (UTC)
         * @example 2026-12-01T09:00:00Z
         */
        at: string;
      }[];
    };
    AccountAnalytics: {
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      from: string;
      /**
       * Format: date-time
       * @description ISO 8601 with an offset; must be between 2000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)
       * @example 2026-12-01T09:00:00Z
       */
      to: string;
      /** @enum {string} */
      interval: 'hour' | 'day';
      totals: {
        sent: number;
        delivered: number;
        opened: number;
        clicked: number;
        viewed: number;
        started: number;
        completed: number;
        machineOpened: number;
        machineClicked: number;
        machineViewed: number;
        unsubscribed: number;
      };
      /** @description Each campaign with anything in the period, by name */
      campaigns: {
        sent: number;
        delivered: number;
        opened: number;
        clicked: number;
        viewed: number;
        started: number;
        completed: number;
        machineOpened: number;
        machineClicked: number;
        machineViewed: number;
        unsubscribed: number;
        /** Format: uuid */
        campaignId: string;
        name: string;
      }[];
      timeline: {
        sent: number;
        delivered: number;
        opened: number;
        clicked: number;
        viewed: number;
        started: number;
        completed: number;
        machineOpened: number;
        machineClicked: number;
        machineViewed: number;
        unsubscribed: number;
        /**
         * Format: date-time
         * @description Start of the step (UTC)
         * @example 2026-12-01T09:00:00Z
         */
        at: string;
      }[];
    };
    PostmarkEvent: {
      RecordType?: string | null;
      MessageID?: string | null;
      Type?: string | null;
      Description?: string | null;
      Recipient?: string | null;
      Email?: string | null;
      SuppressSending?: boolean | null;
      SuppressionReason?: string | null;
      UserAgent?: string | null;
    };
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  getOpenApiDocument: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The OpenAPI document */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getAccount: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The account */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Account'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  updateAccount: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['UpdateAccount'];
      };
    };
    responses: {
      /** @description The account */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Account'];
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getCaller: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The caller */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Caller'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  addFunds: {
    parameters: {
      query?: never;
      header?: {
        'idempotency-key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['AddFunds'];
      };
    };
    responses: {
      /** @description The account after the deposit */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Account'];
        };
      };
      /** @description validation_failed: the request (or its Idempotency-Key) is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description conflict: the Idempotency-Key was used with another request, or is still in progress */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getUsage: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Usage from the ledger */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Usage'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getSendingPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The sending policy */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SendingPolicy'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  setSendingPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['UpdateSendingPolicy'];
      };
    };
    responses: {
      /** @description The policy now in force */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SendingPolicy'];
        };
      };
      /** @description validation_failed: names each field that is wrong; nothing changed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  setEmailProvider: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['EmailProvider'];
      };
    };
    responses: {
      /** @description Saved */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            fromEmail: string;
            tokenConfigured: boolean;
            tokenHint: string | null;
            messageStream: string;
          };
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listApiKeys: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of keys */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKeyList'];
        };
      };
      /** @description invalid limit or cursor */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no valid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createApiKey: {
    parameters: {
      query?: never;
      header?: {
        'idempotency-key'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CreateApiKey'];
      };
    };
    responses: {
      /** @description The new key */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedApiKey'];
        };
      };
      /** @description invalid role or name */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no valid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description conflict: a replay of a key creation (the key was shown once), or the account already holds 100 working keys (revoke one) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  revokeApiKey: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The revoked key */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ApiKey'];
        };
      };
      /** @description not a key id */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no valid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no such key in this account (another account's key id is a 404) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the account's last working admin key */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  showPreviewLinkPage: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description "This is a preview" */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  showPreviewUnsubscribePage: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Nothing was unsubscribed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  previewUnsubscribe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['UnsubscribeForm'];
      };
    };
    responses: {
      /** @description Nothing was unsubscribed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  showTestLinkPage: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description "This is a test" */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  showTestUnsubscribePage: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Nothing was unsubscribed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  testUnsubscribe: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['UnsubscribeForm'];
      };
    };
    responses: {
      /** @description Nothing was unsubscribed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  eraseContact: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description What was erased */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErasureReport'];
        };
      };
      /** @description not a contact id */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no valid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description support key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no such contact in this account (another account's contact is a 404) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  eraseRecipient: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['EraseRecipient'];
      };
    };
    responses: {
      /** @description What was erased */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErasureReport'];
        };
      };
      /** @description not an email address */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no valid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description support key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description conflict: the Idempotency-Key was used with another request, or is still in progress */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  findRecipient: {
    parameters: {
      query: {
        email: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Where the address appears (empty lists: nowhere) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RecipientLookup'];
        };
      };
      /** @description not an email address */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no valid API key */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description support key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getCampaignAnalytics: {
    parameters: {
      query?: {
        interval?: 'hour' | 'day';
        format?: 'json' | 'csv';
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The numbers */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CampaignAnalytics'];
          'text/csv': string;
        };
      };
      /** @description validation_failed: a bad interval or format */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getAccountAnalytics: {
    parameters: {
      query?: {
        from?: string;
        to?: string;
        interval?: 'hour' | 'day';
        format?: 'json' | 'csv';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The numbers */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AccountAnalytics'];
          'text/csv': string;
        };
      };
      /** @description validation_failed: a bad period, interval or format */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listAccountAudit: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
        campaignId?: string;
        actor?: string;
        action?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AccountAuditEntry'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description validation_failed: a bad filter, limit or cursor */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listCampaigns: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
        status?: 'draft' | 'scheduled' | 'launching' | 'active' | 'paused' | 'expired' | 'cancelled';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of campaigns */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Campaign'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createCampaign: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CreateCampaign'];
      };
    };
    responses: {
      /** @description The draft */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Campaign'];
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description conflict: the Idempotency-Key was used with another request, or is still in progress */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unavailable: the campaign's workflow did not answer; nothing changed, retry */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getCampaign: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The campaign */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Campaign'];
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  updateCampaign: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['UpdateCampaign'];
      };
    };
    responses: {
      /** @description The campaign after the change */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Campaign'];
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description insufficient_balance (reviving an expired campaign reserves its cost again) */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unavailable: the campaign's workflow did not answer; nothing changed, retry */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  launchCampaign: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The campaign in its new status */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Campaign'];
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description insufficient_balance */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state; or sender_not_ready: the provider refused the token, or there is no from address (`detail` says what to fix) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unavailable: the campaign's workflow did not answer; nothing changed, retry */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  pauseCampaign: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['Pause'];
      };
    };
    responses: {
      /** @description The campaign in its new status */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Campaign'];
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unavailable: the campaign's workflow did not answer; nothing changed, retry */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  resumeCampaign: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The campaign in its new status */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Campaign'];
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unavailable: the campaign's workflow did not answer; nothing changed, retry */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  cancelCampaign: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The campaign in its new status */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Campaign'];
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unavailable: the campaign's workflow did not answer; nothing changed, retry */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listCampaignAudit: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Oldest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['AuditEntry'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  previewCampaignEmail: {
    parameters: {
      query?: {
        inviteId?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The rendered email */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EmailPreview'];
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state (the campaign has ended, or its expiry passed) or invite_expired: the email would carry a dead link */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invite_reset or invite_erased: the named invite's link no longer works (preview its replacement) */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  testSendCampaignEmail: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['TestSendBody'];
      };
    };
    responses: {
      /** @description What went to each address */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TestSendResult'];
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description sender_not_ready; or invalid_state (the campaign has ended, or its expiry passed) / invite_expired: the email would carry a dead link */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description rate_limited: the account's sending limit is reached (Retry-After); nothing was sent */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unavailable: the provider did not answer; nothing was sent, retry */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getLiveness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description alive */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok' | 'unavailable';
            checks?: {
              [key: string]: string;
            };
          };
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getReadiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description ready */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok' | 'unavailable';
            checks?: {
              [key: string]: string;
            };
          };
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description a dependency is down, or the process is draining */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            /** @enum {string} */
            status: 'ok' | 'unavailable';
            checks?: {
              [key: string]: string;
            };
          };
        };
      };
    };
  };
  sendInvite: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The invite */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Invite'];
        };
      };
      /** @description validation_failed: the request (or its Idempotency-Key) is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found: no such resource in this account */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state (the campaign has ended: `detail` says what to do); invite_expired: its own expiry passed, so it would email a dead link: use Reset & resend; or conflict: the address is suppressed (hard bounce, spam complaint, unsubscribed) or the email was refused */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invite_erased: its recipient was erased; nothing is sent */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['InviteErasedProblem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unavailable: the campaign's workflow did not answer; nothing changed, retry */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  resetInvite: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['ResetInvite'];
      };
    };
    responses: {
      /** @description The new invite that replaces it, with a fresh expiry */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Invite'];
        };
      };
      /** @description validation_failed: the request (or its Idempotency-Key) is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found: no such resource in this account */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state (the campaign has ended: `detail` says what to do, nothing is reset); or conflict: the address is suppressed (nothing is reset) or the email was refused */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invite_erased: its recipient was erased; nothing is sent */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['InviteErasedProblem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unavailable: the campaign's workflow did not answer; nothing changed, retry */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  retryFailedInvites: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The campaign */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Campaign'];
        };
      };
      /** @description validation_failed: the request (or its Idempotency-Key) is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found: no such resource in this account */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unavailable: the campaign's workflow did not answer; nothing changed, retry */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  receivePostmarkWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['PostmarkEvent'];
      };
    };
    responses: {
      /** @description Accepted (handled false: not a message Herald sent) */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            handled: boolean;
          };
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized (challenges Basic) */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unavailable: a complaint or hard bounce put its campaign over its guard, and the campaign's workflow could not be told to pause; the event is recorded, Postmark's retry tells it again */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listOutbox: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: {
              [key: string]: unknown;
            }[];
            nextCursor: string | null;
          };
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found: the outbox exists only with EMAIL_PROVIDER=outbox */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listInvites: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
        status?: 'used' | 'unused';
        assigned?: 'true' | 'false';
        delivery?: 'failed';
        q?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Invite'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found: no such resource in this account */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createInvite: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CreateInvite'];
      };
    };
    responses: {
      /** @description The invite */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Invite'];
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description insufficient_balance (launched campaign) */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createInvitesInBulk: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['BulkInvites'];
      };
    };
    responses: {
      /** @description How many */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            created: number;
          };
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description insufficient_balance (launched campaign) */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  importInvitesCsv: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'text/csv': string;
      };
    };
    responses: {
      /** @description What was imported and every rejected row */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImportReport'];
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description insufficient_balance (launched campaign) */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description payload_too_large: over 167772160 bytes or 1000000 rows; nothing imported */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createInvitesFromContacts: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['InvitesFromContacts'];
      };
    };
    responses: {
      /** @description How many */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            created: number;
            skipped: number;
          };
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description insufficient_balance (launched campaign) */
      402: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  exportInvitesCsv: {
    parameters: {
      query?: {
        ids?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description CSV with full URLs; cells a spreadsheet would run as formulas are prefixed with `'` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/csv': string;
        };
      };
      /** @description validation_failed (more than 300 ids: POST them instead) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  exportSelectedInvites: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['ExportInvites'];
      };
    };
    responses: {
      /** @description CSV with full URLs; cells a spreadsheet would run as formulas are prefixed with `'` */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/csv': string;
        };
      };
      /** @description validation_failed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description conflict: the Idempotency-Key was used with another request, or is still in progress */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description payload_too_large */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getInviteLink: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The private link */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            url: string;
          };
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invite_reset: Reset & resend voided this invite; `replacementId`/`replacementUrl` name the live one. invite_erased: its recipient was erased */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json':
            components['schemas']['InviteResetProblem'] | components['schemas']['InviteErasedProblem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  updateInvite: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['UpdateInvite'];
      };
    };
    responses: {
      /** @description The invite */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Invite'];
        };
      };
      /** @description validation_failed (in the past, both expiresAt and expiresIn, a reminder without an expiry) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invite_expired: its own expiry passed (Reset & resend starts it over); invalid_state: it was used, or its campaign has ended */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invite_reset: Reset & resend replaced it (`replacementId` names the live one); invite_erased */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json':
            components['schemas']['InviteResetProblem'] | components['schemas']['InviteErasedProblem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listContacts: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Newest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Contact'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createContact: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CreateContact'];
      };
    };
    responses: {
      /** @description The contact */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Contact'];
        };
      };
      /** @description validation_failed: the request (or its Idempotency-Key) is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description conflict */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  importContactsCsv: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'text/csv': string;
      };
    };
    responses: {
      /** @description How many were saved and every rejected row */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ImportReport'];
        };
      };
      /** @description validation_failed: not text/csv, or no `email` column */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description conflict: the Idempotency-Key was used with another request, or is still in progress */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description payload_too_large: over 2097152 bytes or 10000 rows; nothing saved */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getLink: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The invite */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Link'];
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found: no such link in this account (another account's token is a 404) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invite_erased: the invite behind the link was erased with its recipient */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['InviteErasedProblem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  startLink: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The invite, started */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Link'];
        };
      };
      /** @description validation_failed: the request (or its Idempotency-Key) is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found: no such link in this account (another account's token is a 404) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state: the link is completed, expired or not open yet (`currentStatus` says which) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invite_erased: the invite behind the link was erased with its recipient */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['InviteErasedProblem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  completeLink: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CompleteLink'];
      };
    };
    responses: {
      /** @description The invite, used */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Link'];
        };
      };
      /** @description validation_failed: the request (or its Idempotency-Key) is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description not_found: no such link in this account (another account's token is a 404) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invalid_state: already completed (completing twice), expired or not open yet */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description invite_erased: the invite behind the link was erased with its recipient */
      410: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['InviteErasedProblem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listWebhookEndpoints: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The endpoints, oldest first */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpointList'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  createWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CreateWebhookEndpoint'];
      };
    };
    responses: {
      /** @description The endpoint, with its secret (this once) */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedWebhookEndpoint'];
        };
      };
      /** @description validation_failed: a URL that is not https://, or resolves to a private address; unknown event types */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description conflict: the account already has 20 webhook endpoints (delete one) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  getWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The endpoint */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpoint'];
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no such endpoint in this account (another account's is a 404) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  deleteWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Deleted */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no such endpoint in this account (another account's is a 404) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  updateWebhookEndpoint: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['UpdateWebhookEndpoint'];
      };
    };
    responses: {
      /** @description The endpoint now */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookEndpoint'];
        };
      };
      /** @description validation_failed: an unknown state or event type, or an unknown field; nothing changed */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no such endpoint in this account (another account's is a 404) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listWebhookDeliveries: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of deliveries */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDeliveryList'];
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no such endpoint in this account (another account's is a 404) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listWebhookAttempts: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of attempts */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookAttemptList'];
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no such delivery in this account (another account's is a 404) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  retryWebhookDelivery: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The delivery, pending */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['WebhookDelivery'];
        };
      };
      /** @description validation_failed: the request (or its Idempotency-Key) is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no such delivery in this account (another account's is a 404) */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description conflict: it is already waiting for its next attempt */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  showUnsubscribePage: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The page with its Unsubscribe button */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not an unsubscribe link Herald made */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  unsubscribe: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        token: string;
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/x-www-form-urlencoded': components['schemas']['UnsubscribeForm'];
      };
    };
    responses: {
      /** @description Unsubscribed */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description The body does not carry `List-Unsubscribe=One-Click` (the page), or a path that cannot be decoded (a problem) */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description Not an unsubscribe link Herald made */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  listSuppressions: {
    parameters: {
      query?: {
        limit?: number;
        cursor?: string;
        email?: string;
        reason?: 'hard_bounce' | 'spam_complaint' | 'unsubscribed';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of suppressions */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            data: components['schemas']['Suppression'][];
            nextCursor: string | null;
          };
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
  liftSuppression: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The suppression that was lifted */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Suppression'];
        };
      };
      /** @description validation_failed: the request is not valid */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unauthorized: missing or invalid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description forbidden: needs an admin API key */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description no such suppression in this account */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description conflict: a hard bounce or a spam complaint, which stays */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description the body is over the size limit */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description unsupported_charset or unsupported_encoding: send the body as UTF-8, uncompressed or gzip, deflate, br */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
      /** @description headers_too_large: the URL or headers are over the server limit (answered before any route) */
      431: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/problem+json': components['schemas']['Problem'];
        };
      };
    };
  };
}
