import { z } from 'zod';
import { Email, registry } from './common';

// ---- Account and money -----------------------------------------------------------------

export const AccountView = registry.register(
  'Account',
  z.object({
    id: z.string(),
    name: z.string(),
    ownerEmail: z.string(),
    balanceCents: z.number().int(),
    reservedCents: z.number().int(),
    availableCents: z.number().int(),
    expiryGraceDays: z.number(),
  }),
);
export type AccountView = z.infer<typeof AccountView>;

export const CallerView = registry.register(
  'Caller',
  z.object({
    accountId: z.string(),
    keyId: z.string(),
    role: z.enum(['admin', 'support']).openapi({
      description: 'What the key may do: support may read, pause, resume, resend, reset and copy links',
    }),
  }),
);

export const UpdateAccount = registry.register(
  'UpdateAccount',
  z
    .object({
      expiryGraceDays: z.number().min(0).max(365).openapi({
        description:
          'How long after a campaign expires extending its expiry still revives it (decimals allowed; 0 = never)',
      }),
    })
    .strict(),
);
export type UpdateAccount = z.infer<typeof UpdateAccount>;

export const AddFunds = registry.register(
  'AddFunds',
  z.object({ amountCents: z.number().int().min(1).max(100_000_000) }).strict(),
);
export type AddFunds = z.infer<typeof AddFunds>;

export const UsageView = registry.register(
  'Usage',
  z.object({
    data: z.array(
      z.object({
        campaignId: z.string(),
        campaignName: z.string(),
        reservedCents: z.number().int(),
        chargedCents: z.number().int(),
        releasedCents: z.number().int(),
        heldCents: z.number().int().openapi({ description: 'Reserved and not yet charged or released' }),
      }),
    ),
    totals: z.object({
      reservedCents: z.number().int(),
      chargedCents: z.number().int(),
      releasedCents: z.number().int(),
      fundedCents: z.number().int(),
    }),
  }),
);
export type UsageView = z.infer<typeof UsageView>;

/** The account's sender: its Postmark server token (stored sealed) and from address. */
export const EmailProvider = registry.register(
  'EmailProvider',
  z
    .object({
      postmarkServerToken: z.string().trim().min(8).max(200),
      fromEmail: Email,
      messageStream: z
        .string()
        .regex(/^[a-z0-9-]{1,30}$/, "a Postmark stream ID: lower-case letters, digits and '-'")
        .optional()
        .openapi({ description: 'The broadcast stream campaign email goes on (default `broadcast`)' }),
    })
    .strict(),
);
export const EmailProviderView = z.object({
  fromEmail: z.string(),
  tokenConfigured: z.boolean(),
  tokenHint: z.string().nullable(),
  messageStream: z.string(),
});
