import { z } from 'zod';
import { CAMPAIGN_STATUSES, PAUSED_REASONS, WAIT_REASONS } from '../../domain/campaign';
import { CAMPAIGN_ACTIONS } from '../../domain/campaign-actions';
import { CONTROL_CHARACTER_PROBLEM, MAX_LANDING_URL, NO_CONTROL_CHARACTERS } from '../../domain/landing';
import { Batch, CalendarEventSchema, Email, Pagination, isoInstant, registry } from './common';
import { SendWindow, SendWindowView } from './sending-policy';
import { InviteDefaults, InviteDefaultsView } from './invite-expiry';

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

const Tracking = z
  .object({
    opens: z.boolean().optional().openapi({
      description: 'Ask the email provider to record when each email is opened (a pixel in the email)',
    }),
    links: z.boolean().optional().openapi({
      description:
        "Ask the email provider to record when the email's links are followed (links go through the provider first)",
    }),
  })
  .strict()
  .openapi({
    description:
      "Open and link tracking of this campaign's emails: off unless asked (recipient data is not used for behavioural profiling by default). Applies from the next email sent. Opens and clicks machines make (image proxies, link scanners) are counted apart and move no journey: see GET /v1/campaigns/{id}/analytics",
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
      inviteDefaults: InviteDefaults.optional(),
      tracking: Tracking.optional(),
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
    inviteDefaults: InviteDefaultsView,
    tracking: z
      .object({ opens: z.boolean(), links: z.boolean() })
      .openapi({ description: 'Whether its emails ask the provider to track opens and link clicks' }),
    reservedCents: z.number().int(),
    progress: Progress,
    actions: z.array(z.enum(CAMPAIGN_ACTIONS)).openapi({
      description:
        "What this caller may do to the campaign now, by its status, its expiry grace and the key's role (support: pause, resume, resend, reset). edit: the draft's own fields; extend: PATCH expiresAt (an expired campaign within its grace comes back); reschedule, change_event, change_send_window, change_link_settings, set_max_failure_percent: those PATCH fields; change_batch: PATCH batch (a draft's, or a launched campaign's next batches); resend, reset: its invites'",
    }),
    createdAt: isoInstant,
    updatedAt: isoInstant,
  }),
);
export type CampaignView = z.infer<typeof CampaignView>;

export const ListCampaignsQuery = Pagination.extend({
  status: z.enum(CAMPAIGN_STATUSES).optional(),
}).strict();
export type ListCampaignsQuery = z.infer<typeof ListCampaignsQuery>;

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
      batch: Batch.optional().openapi({
        description:
          "A draft's own field; on a scheduled, launching, active or paused campaign its workflow takes it (audited): the next batch has the new size, a gap under way is measured again with the new gap from the end of the last batch, and the batch under way counts what it sent against the new size (a smaller size ends it at once). Refused (409) once the campaign is over",
      }),
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
      inviteDefaults: InviteDefaults.nullable().optional().openapi({
        description:
          'Replaces the invite defaults (see CreateCampaign); null: none. At any status but cancelled (or expired past its grace): applies to the next invite added',
      }),
      tracking: Tracking.optional().openapi({
        description:
          'Open and link tracking (see CreateCampaign); a field left out stays as it is. At any status but cancelled (or expired past its grace): applies to the next email sent',
      }),
    })
    .strict()
    .refine((b) => Object.keys(b).length > 0, { message: 'send at least one field to change' })
    .openapi({
      description:
        'All or nothing: if any part is refused, nothing changes. Draft fields may change only while the campaign is a draft (batch also later, see batch); sendWindow, landingUrl, requireEmailMatch and inviteDefaults while it is not over; startAt, expiresAt, maxFailurePercent and a launched campaign’s batch go through its workflow.',
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

// ---- Preview and test send -------------------------------------------------------------

export const PreviewQuery = z
  .object({
    inviteId: z.string().uuid().optional().openapi({
      description:
        'An invite of this campaign: its own email, with its own link. Absent: a sample recipient, whose links open harmless pages (`/p/preview`) and work for nobody',
    }),
  })
  .strict();
export type PreviewQuery = z.infer<typeof PreviewQuery>;

export const EmailPreview = registry.register(
  'EmailPreview',
  z
    .object({
      inviteId: z
        .string()
        .nullable()
        .openapi({ description: 'The invite rendered; null for the sample recipient' }),
      from: z.string(),
      to: z.string().nullable().openapi({ description: 'The recipient (null: a link-only invite)' }),
      subject: z.string(),
      html: z.string(),
      text: z.string(),
      messageStream: z
        .string()
        .openapi({ description: "The Postmark stream it goes on (the account's broadcast stream)" }),
      headers: z
        .record(z.string())
        .openapi({ description: 'List-Unsubscribe, List-Unsubscribe-Post, List-Id' }),
      attachments: z.array(z.object({ name: z.string(), contentType: z.string() })),
    })
    .openapi({
      description:
        'The invitation as the send pipeline renders it (one renderer). Reading it changes nothing.',
    }),
);
export type EmailPreview = z.infer<typeof EmailPreview>;

export const TestSendBody = registry.register(
  'TestSendBody',
  z
    .object({
      to: z
        .array(Email)
        .min(1)
        .max(5)
        .openapi({ description: '1 to 5 addresses (each checked like every recipient address)' }),
    })
    .strict(),
);
export type TestSendBody = z.infer<typeof TestSendBody>;

export const TestSendResult = registry.register(
  'TestSendResult',
  z.object({
    subject: z.string().openapi({ description: 'As sent: the invitation subject after `[Test] `' }),
    results: z.array(
      z.object({
        email: z.string(),
        sent: z.boolean(),
        error: z.string().nullable().openapi({
          description: 'Why it was not sent: the provider refused it, or the address is suppressed',
        }),
      }),
    ),
  }),
);
export type TestSendResult = z.infer<typeof TestSendResult>;
