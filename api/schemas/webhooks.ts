import { z } from 'zod';
import { WEBHOOK_DISABLED_REASONS } from '../../entities/WebhookEndpoint';
import { WEBHOOK_EVENT_TYPES } from '../../webhooks/events';
import { isoInstant, page, registry } from './common';

// ---- Outgoing webhooks -----------------------------------------------------------------

export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

/** More in flight to one receiver than this is a flood, not a delivery. */
export const MAX_WEBHOOK_CONCURRENCY = 64;

export const CreateWebhookEndpoint = registry.register(
  'CreateWebhookEndpoint',
  z
    .object({
      url: z.string().trim().min(1).max(2048).openapi({
        description:
          'Where events are POSTed: https:// to a public address (http:// only to loopback, and only with ALLOW_HTTP_WEBHOOKS=true outside production)',
        example: 'https://example.com/herald/webhooks',
      }),
      events: z
        .array(WebhookEventType)
        .min(1)
        .refine((types) => new Set(types).size === types.length, 'each event type once')
        .optional()
        .openapi({ description: 'The event types to receive (default: all, including types added later)' }),
      concurrency: z
        .number()
        .int()
        .min(1)
        .max(MAX_WEBHOOK_CONCURRENCY)
        .nullable()
        .optional()
        .openapi({
          description: `Requests in flight to it at once, 1–${MAX_WEBHOOK_CONCURRENCY} (one invite's events still go one at a time, in order); null or absent: the server's WEBHOOK_CONCURRENCY (16 unless configured). 1 delivers every event in the order it happened`,
        }),
    })
    .strict(),
);
export type CreateWebhookEndpoint = z.infer<typeof CreateWebhookEndpoint>;

export const WebhookEndpointView = registry.register(
  'WebhookEndpoint',
  z.object({
    id: z.string(),
    url: z.string(),
    events: z
      .array(WebhookEventType)
      .nullable()
      .openapi({ description: 'The event types it receives; null = all' }),
    concurrency: z.number().int().nullable().openapi({
      description: "Requests in flight to it at once; null: the server's WEBHOOK_CONCURRENCY",
    }),
    state: z.enum(['enabled', 'disabled']).openapi({
      description:
        'disabled: nothing is sent to it (it failed for the whole retry period, or a person disabled it); enabling it, or retrying a delivery, enables it again',
    }),
    failingSince: isoInstant.nullable(),
    disabledAt: isoInstant.nullable(),
    disabledReason: z.enum(WEBHOOK_DISABLED_REASONS).nullable().openapi({
      description:
        'Why it is disabled: `failing` for the whole retry period (the owner was emailed), or `manual` (a person disabled it); null while enabled',
    }),
    createdAt: isoInstant,
  }),
);
export type WebhookEndpointView = z.infer<typeof WebhookEndpointView>;

export const CreatedWebhookEndpoint = registry.register(
  'CreatedWebhookEndpoint',
  WebhookEndpointView.extend({
    secret: z.string().openapi({
      description:
        'The signing secret (`whsec_` + base64), shown once: verify each request with a Standard Webhooks library',
      example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    }),
  }),
);

export const WebhookEndpointList = registry.register(
  'WebhookEndpointList',
  z.object({ data: z.array(WebhookEndpointView) }),
);

export const WebhookDeliveryView = registry.register(
  'WebhookDelivery',
  z.object({
    id: z.string(),
    eventId: z.string().openapi({ description: 'The `webhook-id` of every attempt' }),
    eventType: z.string(),
    state: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatus: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The receiver's last HTTP status; null: no answer (timeout, refused)" }),
    lastLatencyMs: z.number().int().nullable(),
    lastError: z.string().nullable(),
    lastAttemptAt: isoInstant.nullable(),
    nextAttemptAt: isoInstant.nullable().openapi({ description: 'When it is tried next (pending only)' }),
    createdAt: isoInstant,
  }),
);
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;
export const WebhookDeliveryList = registry.register('WebhookDeliveryList', page(WebhookDeliveryView));

export const UpdateWebhookEndpoint = registry.register(
  'UpdateWebhookEndpoint',
  z
    .object({
      state: z.enum(['enabled', 'disabled']).optional().openapi({
        description:
          'disabled: nothing more is sent to it (events meanwhile wait, and go once it is enabled again; the owner is not emailed); enabled: it sends again, with a fresh retry period. Deliveries given up stay failed: retry the ones wanted',
      }),
      events: z
        .array(WebhookEventType)
        .min(1)
        .refine((types) => new Set(types).size === types.length, 'each event type once')
        .nullable()
        .optional()
        .openapi({
          description: 'The event types it receives from now on; null = all, including types added later',
        }),
      concurrency: z
        .number()
        .int()
        .min(1)
        .max(MAX_WEBHOOK_CONCURRENCY)
        .nullable()
        .optional()
        .openapi({
          description: `Requests in flight to it at once, 1–${MAX_WEBHOOK_CONCURRENCY} (one invite's events still go one at a time, in order); null or absent: the server's WEBHOOK_CONCURRENCY (16 unless configured). 1 delivers every event in the order it happened`,
        }),
    })
    .strict()
    .openapi({ description: 'What to change; a field left out stays as it is' }),
);
export type UpdateWebhookEndpoint = z.infer<typeof UpdateWebhookEndpoint>;

export const WebhookAttemptView = registry.register(
  'WebhookAttempt',
  z.object({
    id: z.string(),
    at: isoInstant.openapi({ description: 'When it was sent' }),
    status: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The receiver's HTTP status; null: no answer (timeout, refused)" }),
    latencyMs: z
      .number()
      .int()
      .openapi({ description: 'From sending to the answer (or to giving up on one)' }),
    error: z.string().nullable().openapi({ description: 'What went wrong, in words; null when delivered' }),
    nextAttemptAt: isoInstant.nullable().openapi({
      description: 'The retry this failure scheduled; null when delivered, or when it was the last',
    }),
  }),
);
export type WebhookAttemptView = z.infer<typeof WebhookAttemptView>;
export const WebhookAttemptList = registry.register('WebhookAttemptList', page(WebhookAttemptView));
