import { z } from 'zod';
import { SUPPRESSION_REASONS } from '../../entities/Suppression';
import { Email, Pagination, Problem, Recipient, isoInstant, registry } from './common';
import { checkPhone } from '../../recipients/phone';
import { TimeZone } from './sending-policy';
import { ExpiresIn, ReminderDaysBefore, withReminderRule } from './invite-expiry';

// ---- Invites ---------------------------------------------------------------------------

const InviteOptions = { expiresIn: ExpiresIn.optional(), reminderDaysBefore: ReminderDaysBefore.optional() };

const RecipientTimeZone = TimeZone.optional().openapi({
  description: "The recipient's own zone: the send window is read on their clock",
});
/** A phone number, international (+ and the country code), stored in E.164 (recipients/phone.ts). */
const Phone = z
  .string()
  .transform((raw, ctx) => {
    const checked = checkPhone(raw);
    if (checked.ok) return checked.phone;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: checked.reason });
    return z.NEVER;
  })
  .openapi({
    type: 'string',
    example: '+44 20 7946 0958',
    description: 'Optional, international (`+` and the country code); stored and shown in E.164',
  });
/** A recipient of an invite: a contact's fields, their time zone and phone. */
export const InviteRecipient = Recipient.extend({
  timeZone: RecipientTimeZone,
  phone: Phone.optional(),
}).strict();

export const CreateInvite = registry.register(
  'CreateInvite',
  withReminderRule(
    z
      .object({
        email: Email.optional(),
        name: z.string().trim().min(1).max(200).optional(),
        timeZone: RecipientTimeZone,
        phone: Phone.optional(),
        ...InviteOptions,
        send: z.boolean().optional().openapi({
          description: 'On a launched campaign, email it on arrival (default true when it has an email)',
        }),
      })
      .strict(),
  ),
);
export type CreateInvite = z.infer<typeof CreateInvite>;

export const BulkInvites = registry.register(
  'BulkInvites',
  z.union([
    withReminderRule(
      z
        .object({
          count: z.number().int().min(1).max(10_000).openapi({ description: 'Link-only invites' }),
          ...InviteOptions,
        })
        .strict(),
    ),
    withReminderRule(
      z.object({ recipients: z.array(InviteRecipient).min(1).max(1_000), ...InviteOptions }).strict(),
    ),
  ]),
);
export type BulkInvites = z.infer<typeof BulkInvites>;

export const FromContacts = registry.register(
  'InvitesFromContacts',
  withReminderRule(
    z.object({ contactIds: z.array(z.string().uuid()).min(1).max(1_000), ...InviteOptions }).strict(),
  ),
);
export type FromContacts = z.infer<typeof FromContacts>;

export const ImportReport = registry.register(
  'ImportReport',
  z.object({
    imported: z.number().int(),
    rejected: z.array(z.object({ row: z.number().int(), email: z.string(), reason: z.string() })),
  }),
);
export type ImportReport = z.infer<typeof ImportReport>;

export const InviteView = registry.register(
  'Invite',
  z.object({
    id: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    timeZone: z.string().nullable().openapi({
      description: "The recipient's IANA time zone, when given: the send window is read on their clock",
    }),
    phone: z
      .string()
      .nullable()
      .openapi({ description: "The recipient's phone number in E.164, when given" }),
    url: z.string().openapi({ description: 'The private link' }),
    status: z.enum(['unused', 'used']),
    linkState: z.enum(['ready', 'expired', 'completed', 'not_open', 'not_found']),
    journey: z.string(),
    sentAt: isoInstant.nullable(),
    expiresAt: isoInstant.nullable(),
    reminderAt: isoInstant.nullable(),
    order: z.string().nullable(),
    delivery: z.object({ status: z.string().nullable(), error: z.string().nullable() }),
    suppressed: z.enum(SUPPRESSION_REASONS).nullable().openapi({
      description:
        'Why the account may not email this address now (an unsubscribe, a hard bounce, a spam complaint), even after the invite was sent; null: it may',
    }),
    createdAt: isoInstant,
  }),
);
export type InviteView = z.infer<typeof InviteView>;

export const ListInvitesQuery = Pagination.extend({
  status: z.enum(['used', 'unused']).optional(),
  assigned: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: has an email; false: link-only' }),
  delivery: z.enum(['failed']).optional().openapi({
    description:
      "failed: invites whose email failed (failed, bounced or suppressed), as the campaign's progress counts them; the owner's failure emails link to this list",
  }),
  q: z.string().trim().min(1).max(200).optional().openapi({
    description: 'Search: invites whose name or email contains this text (letter case aside)',
  }),
}).strict();
export type ListInvitesQuery = z.infer<typeof ListInvitesQuery>;

/** A query of 300 ids (~11 kB) fits Node's 16 kB header limit; more go in a POST body. */
export const MAX_EXPORT_IDS_IN_QUERY = 300;
export const MAX_EXPORT_IDS = 10_000;
export const ExportQuery = z
  .object({
    ids: z
      .string()
      .max(40_000)
      .optional()
      .openapi({
        description: `Comma-separated invite ids (at most ${MAX_EXPORT_IDS_IN_QUERY}; POST for more); all when absent`,
      }),
  })
  .strict();

const InviteId = z.string().regex(/^[0-9a-f-]{36}$/, 'expected an invite id');
export const ExportInvites = registry.register(
  'ExportInvites',
  z
    .object({
      ids: z
        .array(InviteId)
        .min(1)
        .max(MAX_EXPORT_IDS)
        .openapi({ description: `The invites to export (at most ${MAX_EXPORT_IDS})` }),
    })
    .strict(),
);

/** Copy link on a reset invite: its link is dead; this names the invite that replaced it. */
export const InviteResetProblem = registry.register(
  'InviteResetProblem',
  Problem.extend({
    code: z.literal('invite_reset'),
    replacementId: z.string().nullable().openapi({ description: 'The live invite that replaced it' }),
    replacementUrl: z.string().nullable().openapi({ description: 'Its link: copy this one' }),
  }),
);

/** An erased invite (its link, Copy link, send, reset): nothing of it may be used again. */
export const InviteErasedProblem = registry.register(
  'InviteErasedProblem',
  Problem.extend({ code: z.literal('invite_erased') }),
);

/** Reset & resend starts the recipient over: a fresh expiry, the original's length unless named here. */
export const ResetInvite = registry.register(
  'ResetInvite',
  z
    .object({
      expiresIn: ExpiresIn.optional().openapi({
        description:
          "The new invite's expiry: `never`, `1d`, `7d`, `30d` or an ISO instant; absent, it lasts as long as the original did (its expiresAt minus its createdAt), from the reset",
      }),
    })
    .strict(),
);
export type ResetInvite = z.infer<typeof ResetInvite>;

/**
 * One invite's own deadlines, changed (PATCH /v1/invites/{id}): a new expiry, as an instant
 * (`expiresAt`) or as adding takes it (`expiresIn`, counted from now), and/or its reminder.
 */
export const UpdateInvite = registry.register(
  'UpdateInvite',
  z
    .object({
      expiresAt: isoInstant
        .optional()
        .openapi({ description: 'The new expiry, an ISO instant in the future' }),
      expiresIn: ExpiresIn.optional(),
      reminderDaysBefore: ReminderDaysBefore.nullable().optional().openapi({
        description: 'Days before the expiry to email a reminder; null: none. Absent: as it was',
      }),
    })
    .strict()
    .refine((v) => v.expiresAt === undefined || v.expiresIn === undefined, {
      path: ['expiresIn'],
      message: 'give expiresAt or expiresIn, not both',
    })
    .refine((v) => Object.keys(v).length > 0, {
      path: ['expiresAt'],
      message: 'give expiresAt, expiresIn or reminderDaysBefore',
    }),
);
export type UpdateInvite = z.infer<typeof UpdateInvite>;

export const CreatedInvites = z.object({ created: z.number().int() });

// ---- Contacts --------------------------------------------------------------------------

export const CreateContact = registry.register('CreateContact', Recipient);
export const ContactView = registry.register(
  'Contact',
  z.object({ id: z.string(), email: z.string(), name: z.string().nullable(), createdAt: isoInstant }),
);
