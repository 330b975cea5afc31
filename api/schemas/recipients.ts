import { z } from 'zod';
import { SUPPRESSION_REASONS } from '../../entities/Suppression';
import { AuditEntryView } from './campaigns';
import { Email, Pagination, isoInstant, registry } from './common';

// ---- Finding a person (before an erasure) -------------------------------------------

export const RecipientQuery = z.object({ email: Email }).strict();
export const RecipientLookup = registry.register(
  'RecipientLookup',
  z.object({
    email: z
      .string()
      .openapi({ description: 'The address as Herald stores and matches it (trimmed, lower-case)' }),
    contacts: z.array(z.object({ id: z.string(), name: z.string().nullable(), createdAt: isoInstant })),
    campaigns: z
      .array(
        z.object({
          campaignId: z.string(),
          campaignName: z.string(),
          invites: z.number().int().openapi({ description: 'Invites to this address in the campaign' }),
        }),
      )
      .openapi({ description: 'Each campaign with an invite to the address, newest campaign first' }),
    suppression: z
      .object({ reason: z.enum(SUPPRESSION_REASONS), createdAt: isoInstant })
      .nullable()
      .openapi({ description: 'Why the account may not email the address, if it may not' }),
  }),
);
export type RecipientLookup = z.infer<typeof RecipientLookup>;

// ---- The account's audit log ----------------------------------------------------------

export const AccountAuditQuery = Pagination.extend({
  campaignId: z.string().uuid().optional().openapi({ description: "One campaign's entries" }),
  actor: z.string().max(64).optional().openapi({
    description: 'Entries by this actor: an API key id, `system`, `temporal-signal` or `recipient`',
  }),
  action: z
    .string()
    .regex(/^[a-z][a-z_-]{0,39}(:[a-z_-]{1,38})?$/, 'expected an action such as status_changed or refused')
    .optional()
    .openapi({
      description:
        'Entries of this kind: an action (`status_changed`, `recipient_erased`, `api_key_created`…); a family name matches all of it (`refused` is every `refused:<command>`)',
    }),
}).strict();
export type AccountAuditQuery = z.infer<typeof AccountAuditQuery>;

export const AccountAuditEntry = registry.register(
  'AccountAuditEntry',
  AuditEntryView.extend({
    campaignId: z.string().nullable().openapi({ description: 'Null: an entry about the account as a whole' }),
    campaignName: z.string().nullable(),
  }),
);
