import { z } from 'zod';
import { isoInstant, registry } from './common';

// ---- Links: the customer's backend moves a recipient's journey ----------------------------

export const LinkParams = z
  .object({ token: z.string().min(1).max(200).openapi({ description: 'The `herald_token` from the link' }) })
  .strict();

export const LinkView = registry.register(
  'Link',
  z.object({
    id: z.string().openapi({ description: 'The invite id' }),
    campaignId: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    status: z.enum(['unused', 'used']),
    linkState: z.enum(['ready', 'expired', 'completed', 'not_open', 'not_found']).openapi({
      description: 'What the link does now: only a `ready` link may be started or completed',
    }),
    journey: z.string().openapi({
      description:
        'How far the recipient got: created, sent, delivered, opened, clicked, viewed, started, completed',
    }),
    order: z.string().nullable().openapi({ description: 'The order reference given on completion' }),
    usedAt: isoInstant.nullable(),
    expiresAt: isoInstant.nullable(),
  }),
);
export type LinkView = z.infer<typeof LinkView>;

export const CompleteLink = registry.register(
  'CompleteLink',
  z
    .object({
      order: z.string().trim().max(100).optional().openapi({
        example: 'PO-1234',
        description: 'Your order reference, kept on the invite (shown as `order`)',
      }),
    })
    .strict(),
);
export type CompleteLink = z.infer<typeof CompleteLink>;
