import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../../webhooks/events';
import { isoInstant, page, registry } from './common';

// ---- Outgoing webhooks -----------------------------------------------------------------

export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);

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
    state: z.enum(['enabled', 'disabled']).openapi({
      description: 'disabled: it failed for the whole retry period; retrying a delivery enables it again',
    }),
    failingSince: isoInstant.nullable(),
    disabledAt: isoInstant.nullable(),
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
