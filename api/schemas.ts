import { extendZodWithOpenApi, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { CAMPAIGN_STATUSES, PAUSED_REASONS, WAIT_REASONS } from '../domain/campaign';
import { CAMPAIGN_ACTIONS } from '../domain/campaign-actions';
import { INSTANT_RANGE_MESSAGE, instantInRange } from '../domain/instant';
import {
  canonicalTimeZone,
  DAYS,
  isTimeZone,
  NOT_A_TIME_ZONE,
  sendWindowProblems,
} from '../domain/send-window';
import { CONTROL_CHARACTER_PROBLEM, MAX_LANDING_URL, NO_CONTROL_CHARACTERS } from '../domain/landing';
import { API_KEY_ROLES } from '../entities/ApiKey';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/events';
import { checkEmail } from '../recipients/email-address';

/**
 * One schema per shape: it validates the request, types the handler (z.infer) and is
 * registered here to generate /openapi.json. Objects are strict: unknown fields are refused.
 */
extendZodWithOpenApi(z);
export const registry = new OpenAPIRegistry();
export const bearerAuth = registry.registerComponent('securitySchemes', 'bearerAuth', {
  type: 'http',
  scheme: 'bearer',
});

/** Every instant in and out of the API: ISO 8601 with an offset, in years 2000–9999 once in UTC. */
const isoInstant = z
  .string()
  .datetime({ offset: true })
  // A malformed string is datetime()'s to report; this judges only well-formed ones.
  .refine((v) => Number.isNaN(Date.parse(v)) || instantInRange(Date.parse(v)), INSTANT_RANGE_MESSAGE)
  .openapi({
    example: '2026-12-01T09:00:00Z',
    description: `ISO 8601 with an offset; ${INSTANT_RANGE_MESSAGE}`,
  });

export const Problem = registry.register(
  'Problem',
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.number().int(),
      code: z.string().openapi({ example: 'validation_failed' }),
      detail: z.string(),
      instance: z.string(),
      errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    })
    .openapi({ description: 'RFC 9457 problem details with a stable `code`' }),
);

export const Batch = z
  .object({
    size: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .nullable()
      .openapi({ description: 'Invites per batch; null sends all at once' }),
    gapMinutes: z
      .number()
      .min(0)
      .max(7 * 24 * 60)
      .openapi({ description: 'Minutes between batches; decimals allowed' }),
  })
  .strict();

export const CalendarEventSchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    startsAt: isoInstant,
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60),
    location: z.string().trim().max(300).nullable().optional(),
  })
  .strict()
  .openapi({ description: 'Invitations attach an iCalendar invite for it; changing it sends updates' });

// ---- Sending policy (SPEC "Sending policy") -------------------------------------------

/** The invites column holds 64 characters; the longest IANA name has about 30. */
export const MAX_TIME_ZONE_LENGTH = 64;

/**
 * An IANA zone by the one rule (domain/send-window.ts `isTimeZone`), kept in the runtime's
 * spelling when only its case differs (`canonicalTimeZone`).
 */
export const TimeZone = z
  .string()
  .transform((raw, ctx) => {
    if (raw.length <= MAX_TIME_ZONE_LENGTH && isTimeZone(raw)) return canonicalTimeZone(raw);
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: NOT_A_TIME_ZONE });
    return z.NEVER;
  })
  .openapi({
    type: 'string',
    maxLength: MAX_TIME_ZONE_LENGTH,
    example: 'Europe/Berlin',
    description: 'An IANA time zone (not an offset); matched without regard to case',
  });

/**
 * A send window as stored and shown. Not a registered component: the generator would answer
 * a nullable reference with an allOf that no null matches.
 */
export const SendWindowView = z
  .object({
    timeZone: z.string().openapi({
      example: 'Europe/Berlin',
      description:
        "IANA time zone the hours are read in (a recipient's own zone wins when the invite has one)",
    }),
    days: z
      .array(z.enum(DAYS))
      .min(1)
      .max(DAYS.length)
      .openapi({ example: ['mon', 'tue', 'wed', 'thu', 'fri'], description: 'Each at most once' }),
    from: z.string().openapi({ example: '09:00', description: 'HH:MM, 00:00 to 23:59' }),
    to: z.string().openapi({
      example: '17:30',
      description: 'HH:MM, 00:00 to 24:00, not equal to from; before from spans midnight (22:00 to 06:00)',
    }),
  })
  .strict()
  .openapi({
    description:
      'The local hours in which campaign email may go out, daylight saving time included: from `from` (inclusive) to `to` (exclusive) on each of `days`',
  });

/**
 * A send window as it comes in. Every rule is domain/send-window.ts `sendWindowProblems`
 * (the sending code checks windows by it too), so the rules live once: this only turns its
 * answers, and unknown fields, into field errors; then the zone is stored canonically.
 */
export const SendWindow = z
  .preprocess((raw, ctx) => {
    if (raw === undefined) return raw; // the shape says `required`
    const problems = sendWindowProblems(raw);
    // With problems, unknown fields are reported here too, and all of it is fatal: the shape
    // below does not run, so it never words the same mistake again. Without, it reports them.
    const unknown =
      problems.length === 0 || typeof raw !== 'object' || raw === null
        ? []
        : Object.keys(raw).filter((key) => !Object.hasOwn(SendWindowView.shape, key));
    if (unknown.length) ctx.addIssue({ code: z.ZodIssueCode.unrecognized_keys, keys: unknown, fatal: true });
    for (const { field, message } of problems)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: field ? field.split('.') : [],
        message,
        fatal: true,
      });
    return raw;
  }, SendWindowView)
  .transform((w) => ({ ...w, timeZone: canonicalTimeZone(w.timeZone) }));

/** At most this many limits: each is a sum over the account's recent grants on every ask. */
export const MAX_SEND_LIMITS = 10;
/**
 * The longest window: 31 days, a monthly quota. The limiter keeps every grant as long as the
 * longest window (sending/limits.ts), so an unbounded one would keep them for ever.
 */
export const MAX_LIMIT_WINDOW_SECONDS = 31 * 24 * 3600;
export const MAX_LIMIT_EMAILS = 100_000_000;

export const SendLimitSchema = registry.register(
  'SendLimit',
  z
    .object({
      max: z
        .number()
        .int()
        .min(1)
        .max(MAX_LIMIT_EMAILS)
        .openapi({ example: 1000, description: 'At most this many emails…' }),
      windowSeconds: z
        .number()
        .int()
        .min(1)
        .max(MAX_LIMIT_WINDOW_SECONDS)
        .openapi({
          example: 3600,
          description: `…in any this many seconds (a sliding window, 1 to ${MAX_LIMIT_WINDOW_SECONDS}: 31 days)`,
        }),
    })
    .strict(),
);

export const SendingPolicyView = registry.register(
  'SendingPolicy',
  z.object({
    limits: z.array(SendLimitSchema).openapi({
      description:
        'Every email of the account counts against every limit, across all campaigns; none = no limit',
    }),
    window: SendWindowView.nullable().openapi({
      description:
        "Campaign email goes out only in these hours; null = any time. A campaign's own window wins",
    }),
  }),
);
export type SendingPolicyView = z.infer<typeof SendingPolicyView>;

export const UpdateSendingPolicy = registry.register(
  'UpdateSendingPolicy',
  z
    .object({
      limits: z
        .array(SendLimitSchema)
        .max(MAX_SEND_LIMITS)
        .superRefine((limits, ctx) =>
          limits.forEach((l, i) => {
            if (limits.findIndex((other) => other.windowSeconds === l.windowSeconds) < i)
              ctx.addIssue({
                code: z.ZodIssueCode.custom,
                path: [i, 'windowSeconds'],
                message: 'another limit has this windowSeconds: keep the one you mean',
              });
          }),
        )
        .openapi({ description: `At most ${MAX_SEND_LIMITS}; [] = no limit` }),
      window: SendWindow.nullable().openapi({ description: 'null = email may go out at any time' }),
    })
    .strict()
    .openapi({ description: 'The whole policy: both fields, replacing what was there' }),
);
export type UpdateSendingPolicy = z.infer<typeof UpdateSendingPolicy>;

/** The rule (https, or http to loopback outside production) is domain/landing.ts, applied by the use case. */
const LandingUrl = z
  .string()
  .max(MAX_LANDING_URL)
  .regex(NO_CONTROL_CHARACTERS, CONTROL_CHARACTER_PROBLEM)
  .openapi({
    example: 'https://shop.example.com/redeem',
    description:
      "Your own page: a working link answers 303 there with `herald_token=<token>` added to the query (read the invite with GET /v1/links/{token}). `https://` only (outside production also `http://` to localhost), no control characters; stored as links use it (host lower-cased, spaces percent-encoded…); null = Herald's own page",
  });
const RequireEmailMatch = z.boolean().openapi({
  description:
    "The link first asks the visitor for the invite's email address and opens only when it matches (case-insensitive); wrong answers are rate-limited and audited. Invites without an address open as usual",
});

export const CreateCampaign = registry.register(
  'CreateCampaign',
  z
    .object({
      name: z.string().trim().min(1).max(200),
      description: z.string().max(5000).optional(),
      startAt: isoInstant.optional(),
      expiresAt: isoInstant.optional(),
      batch: Batch.optional(),
      costPerInviteCents: z
        .number()
        .int()
        .min(0)
        .max(100_000)
        .optional()
        .openapi({ description: 'Defaults to 10' }),
      maxFailurePercent: z
        .number()
        .int()
        .min(1)
        .max(100)
        .optional()
        .openapi({ description: 'Pause when more of a batch fails (not bad addresses); default 20' }),
      event: CalendarEventSchema.optional(),
      email: z
        .object({
          subject: z.string().trim().min(1).max(300).optional(),
          fromName: z.string().trim().min(1).max(200).optional(),
        })
        .strict()
        .optional(),
      sendWindow: SendWindow.nullable()
        .optional()
        .openapi({ description: "This campaign's own send window; absent or null = the account's" }),
      landingUrl: LandingUrl.nullable().optional(),
      requireEmailMatch: RequireEmailMatch.optional(),
    })
    .strict()
    .refine((c) => !c.startAt || !c.expiresAt || Date.parse(c.expiresAt) > Date.parse(c.startAt), {
      path: ['expiresAt'],
      message: 'must be after startAt',
    }),
);
export type CreateCampaign = z.infer<typeof CreateCampaign>;

export const Progress = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  used: z.number().int(),
  expired: z.number().int(),
  voided: z.number().int(),
});

export const CampaignView = registry.register(
  'Campaign',
  z.object({
    id: z.string().uuid(),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(CAMPAIGN_STATUSES),
    pausedReason: z.enum(PAUSED_REASONS).nullable(),
    startAt: isoInstant.nullable(),
    expiresAt: isoInstant.nullable(),
    extendableUntil: isoInstant.nullable().openapi({
      description:
        "Expired within the account's grace (expiryGraceDays): until this instant, PATCHing expiresAt revives it",
    }),
    waiting: z
      .object({ reason: z.enum(WAIT_REASONS), until: isoInstant })
      .nullable()
      .openapi({
        description:
          'Sending holds back until `until` (sending_limit: the account sending limits are used up for now, or the provider asked to slow down; send_window: no recipient left is inside the send window on their clock); null when not waiting',
      }),
    batch: z.object({ size: z.number().int().nullable(), gapMinutes: z.number() }),
    costPerInviteCents: z.number().int(),
    maxFailurePercent: z.number().int(),
    event: CalendarEventSchema.nullable(),
    email: z.object({ subject: z.string().nullable(), fromName: z.string().nullable() }),
    sendWindow: SendWindowView.nullable().openapi({
      description: "This campaign's own send window; null = the account's (GET /v1/account/sending-policy)",
    }),
    landingUrl: z
      .string()
      .nullable()
      .openapi({ description: "Where a working link sends the recipient; null = Herald's own page" }),
    requireEmailMatch: z.boolean(),
    reservedCents: z.number().int(),
    progress: Progress,
    actions: z.array(z.enum(CAMPAIGN_ACTIONS)).openapi({
      description:
        "What this caller may do to the campaign now, by its status, its expiry grace and the key's role (support: pause, resume, resend, reset). edit: the draft's own fields; extend: PATCH expiresAt (an expired campaign within its grace comes back); reschedule, change_event, change_send_window, change_link_settings, set_max_failure_percent: those PATCH fields; resend, reset: its invites'",
    }),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  }),
);
export type CampaignView = z.infer<typeof CampaignView>;

export const Pagination = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export const ListCampaignsQuery = Pagination.extend({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
}).strict();
export type ListCampaignsQuery = z.infer<typeof ListCampaignsQuery>;

export const page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const IdParams = z.object({ id: z.string().uuid() }).strict();

export const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string()).optional(),
});

// ---- Lifecycle -------------------------------------------------------------------------

export const EmptyBody = z.object({}).strict();
export const PauseBody = registry.register(
  'Pause',
  z
    .object({
      reason: z.string().trim().min(1).max(300).optional().openapi({
        description:
          'A note, kept as the reason of the audit entry. A pause by a person is always `manual`, whatever the text',
      }),
    })
    .strict(),
);
export type PauseBody = z.infer<typeof PauseBody>;

export const UpdateCampaign = registry.register(
  'UpdateCampaign',
  z
    .object({
      event: CalendarEventSchema.nullable().optional().openapi({
        description:
          'Changing it on a launched campaign sends "update calendar invites" (same UID, higher SEQUENCE)',
      }),
      name: z.string().trim().min(1).max(200).optional(),
      description: z.string().max(5000).nullable().optional(),
      batch: Batch.optional(),
      costPerInviteCents: z.number().int().min(0).max(100_000).optional(),
      maxFailurePercent: z.number().int().min(1).max(100).optional().openapi({
        description: 'At any live status: a launched campaign applies it from its next batch',
      }),
      email: z
        .object({
          subject: z.string().trim().min(1).max(300).nullable().optional(),
          fromName: z.string().trim().min(1).max(200).nullable().optional(),
        })
        .strict()
        .optional(),
      startAt: isoInstant
        .optional()
        .openapi({ description: 'Reschedules: earlier, later, or past = start now' }),
      expiresAt: isoInstant.optional().openapi({
        description: "Moves the expiry timer; after expiry, within the account's grace, revives it",
      }),
      sendWindow: SendWindow.nullable().optional().openapi({
        description:
          "This campaign's own send window; null = the account's. At any status but cancelled (or expired past its grace): a launched campaign applies it from the next email it sends",
      }),
      landingUrl: LandingUrl.nullable().optional().openapi({
        description:
          "Your own page for this campaign's links (see CreateCampaign); null = Herald's own page. At any status but cancelled (or expired past its grace): applies to the next link opened",
      }),
      requireEmailMatch: RequireEmailMatch.optional(),
    })
    .strict()
    .refine((b) => Object.keys(b).length > 0, { message: 'send at least one field to change' })
    .openapi({
      description:
        'All or nothing: if any part is refused, nothing changes. Draft fields may change only while the campaign is a draft; sendWindow, landingUrl and requireEmailMatch while it is not over; startAt, expiresAt and maxFailurePercent go through its workflow.',
    }),
);
export type UpdateCampaign = z.infer<typeof UpdateCampaign>;

export const AuditEntryView = registry.register(
  'AuditEntry',
  z.object({
    id: z.string(),
    at: isoInstant,
    actor: z
      .string()
      .openapi({ description: 'API key id, `temporal-signal`, `system` or `recipient` (at their link)' }),
    action: z.string(),
    fromStatus: z.string().nullable(),
    toStatus: z.string().nullable(),
    reason: z.string().nullable(),
    details: z.record(z.unknown()).nullable(),
  }),
);

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

// ---- Invites ---------------------------------------------------------------------------

const ExpiresIn = z.union([z.enum(['never', '1d', '7d', '30d']), isoInstant]).openapi({
  description: '`never`, `1d`, `7d`, `30d` or an ISO instant; the campaign expiry wins if it comes first',
});
const ReminderDaysBefore = z
  .number()
  .positive()
  .max(365)
  .openapi({ description: 'Email a reminder this many days before the invite expires (decimals allowed)' });
const InviteOptions = { expiresIn: ExpiresIn.optional(), reminderDaysBefore: ReminderDaysBefore.optional() };
const withReminderRule = <T extends z.ZodTypeAny>(schema: T): z.ZodEffects<T> =>
  schema.refine(
    (v: { expiresIn?: string; reminderDaysBefore?: number }) =>
      v.reminderDaysBefore === undefined || (v.expiresIn ?? 'never') !== 'never',
    { path: ['reminderDaysBefore'], message: 'needs an expiresIn other than never' },
  ) as z.ZodEffects<T>;

/** Every address that comes in goes through the one check (recipients/email-address.ts), CSV rows too. */
export const Email = z
  .string()
  .transform((raw, ctx) => {
    const checked = checkEmail(raw);
    if (checked.ok) return checked.email;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: checked.reason });
    return z.NEVER;
  })
  .openapi({ type: 'string', format: 'email', maxLength: 254, example: 'ada@example.com' });
export const Recipient = z
  .object({ email: Email, name: z.string().trim().min(1).max(200).optional() })
  .strict();
const RecipientTimeZone = TimeZone.optional().openapi({
  description: "The recipient's own zone: the send window is read on their clock",
});
/** A recipient of an invite: a contact's fields, and their time zone. */
export const InviteRecipient = Recipient.extend({ timeZone: RecipientTimeZone }).strict();

export const CreateInvite = registry.register(
  'CreateInvite',
  withReminderRule(
    z
      .object({
        email: Email.optional(),
        name: z.string().trim().min(1).max(200).optional(),
        timeZone: RecipientTimeZone,
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
    url: z.string().openapi({ description: 'The private link' }),
    status: z.enum(['unused', 'used']),
    linkState: z.enum(['ready', 'expired', 'completed', 'not_open', 'not_found']),
    journey: z.string(),
    sentAt: isoInstant.nullable(),
    expiresAt: isoInstant.nullable(),
    reminderAt: isoInstant.nullable(),
    order: z.string().nullable(),
    delivery: z.object({ status: z.string().nullable(), error: z.string().nullable() }),
    createdAt: isoInstant,
  }),
);
export type InviteView = z.infer<typeof InviteView>;

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

export const ListInvitesQuery = Pagination.extend({
  status: z.enum(['used', 'unused']).optional(),
  assigned: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: has an email; false: link-only' }),
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

export const CreatedInvites = z.object({ created: z.number().int() });

// ---- Contacts --------------------------------------------------------------------------

export const CreateContact = registry.register('CreateContact', Recipient);
export const ContactView = registry.register(
  'Contact',
  z.object({ id: z.string(), email: z.string(), name: z.string().nullable(), createdAt: isoInstant }),
);

// ---- API keys and erasure ------------------------------------------------------------

export const CreateApiKey = registry.register(
  'CreateApiKey',
  z
    .object({
      role: z.enum(API_KEY_ROLES),
      name: z.string().trim().min(1).max(100).optional().openapi({ description: 'A label, e.g. "CI"' }),
    })
    .strict(),
);
export type CreateApiKey = z.infer<typeof CreateApiKey>;
export const CreatedApiKey = registry.register(
  'CreatedApiKey',
  z.object({
    id: z.string(),
    role: z.enum(API_KEY_ROLES),
    name: z.string().nullable(),
    key: z.string().openapi({
      description:
        'Shown once: only its hash is stored. A replay of the request (same Idempotency-Key) is a 409 naming the key id, never the key again',
    }),
  }),
);
export const ApiKeyView = registry.register(
  'ApiKey',
  z.object({
    id: z.string(),
    role: z.enum(API_KEY_ROLES),
    name: z.string().nullable(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart' }),
    createdAt: isoInstant,
    lastUsedAt: isoInstant.nullable().openapi({ description: 'Updated at most about once a minute' }),
    revokedAt: isoInstant.nullable(),
  }),
);
export type ApiKeyView = z.infer<typeof ApiKeyView>;
export const ApiKeyList = registry.register('ApiKeyList', page(ApiKeyView));

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

/** An Idempotency-Key, on any POST (api/idempotency.ts checks it before the route runs). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
export const IDEMPOTENCY_KEY_MESSAGE = 'expected 1-200 visible ASCII characters';
const idempotencyKey = z.string().regex(IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_MESSAGE);
export const IdempotencyKeyHeader = z.object({ 'idempotency-key': idempotencyKey.optional() });
/** Funds keep the key in their ledger entry's key (160 characters in all): at most 100 here. */
export const FundsIdempotencyKeyHeader = z.object({ 'idempotency-key': idempotencyKey.max(100).optional() });

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
