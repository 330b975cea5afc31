import { z } from 'zod';
import { SUPPRESSION_REASONS, SUPPRESSION_SOURCES } from '../../entities/Suppression';
import { Pagination, registry } from './common';

export const SuppressionView = registry.register(
  'Suppression',
  z.object({
    id: z.string().uuid(),
    email: z.string().openapi({
      description: 'The address, or `erased:<reference>` once its person was erased',
    }),
    reason: z.enum(SUPPRESSION_REASONS),
    source: z.enum(SUPPRESSION_SOURCES).nullable().openapi({
      description: 'For an unsubscribe: the one-click POST, the page, or the provider; null otherwise',
    }),
    createdAt: z.string().datetime(),
  }),
);

export const SuppressionQuery = Pagination.extend({
  email: z.string().trim().toLowerCase().max(320).optional().openapi({ description: 'Only this address' }),
  reason: z.enum(SUPPRESSION_REASONS).optional(),
}).strict();

/** What a mail client's one-click POST, or the page's button, sends (RFC 8058). */
export const UnsubscribeForm = registry.register(
  'UnsubscribeForm',
  z
    .object({
      'List-Unsubscribe': z.literal('One-Click'),
      via: z
        .literal('page')
        .optional()
        .openapi({ description: "Set by Herald's own page: the source is `page`" }),
    })
    .passthrough(),
);

/** Any text: a token Herald did not make is the page's own 404, never a validation problem. */
export const UnsubscribeParams = z.object({ token: z.string() }).strict();
