import { z } from 'zod';
import { Email, registry } from './common';

export const EraseRecipient = registry.register('EraseRecipient', z.object({ email: Email }).strict());
export const ErasureReport = registry.register(
  'ErasureReport',
  z.object({
    reference: z.string().openapi({
      description:
        'The non-reversible reference (keyed HMAC-SHA-256 of the address) the audit log and suppression list keep instead of the address',
      example: `erased:${'0'.repeat(64)}`,
    }),
    erased: z
      .object({
        contacts: z.number().int(),
        invites: z.number().int(),
        notifications: z.number().int(),
        outboxEmails: z.number().int(),
        suppressions: z.number().int(),
        idempotentAnswers: z.number().int(),
        auditEntries: z.number().int(),
        webhookEvents: z.number().int().openapi({
          description: 'Outgoing webhook events (queued or delivered) rewritten without the address or order',
        }),
        freeText: z.number().int().openapi({
          description:
            'Other rows whose text quoted the address (a campaign text, an order reference, an error): it now reads the reference',
        }),
      })
      .openapi({ description: 'Rows deleted or cleared, per kind' }),
  }),
);
export type ErasureReport = z.infer<typeof ErasureReport>;
