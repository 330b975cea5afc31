import { z } from 'zod';
import {
  canonicalTimeZone,
  DAYS,
  isTimeZone,
  NOT_A_TIME_ZONE,
  sendWindowProblems,
} from '../../domain/send-window';
import { DEFAULT_GUARDS, MAX_GUARD_SAMPLE, percent } from '../../domain/deliverability-guards';
import { registry } from './common';

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

const rate = (what: string, example: number) =>
  z
    .number()
    .gt(0)
    .max(1)
    .openapi({
      example,
      description: `Pause the campaign when ${what} (a share: ${example} = ${percent(example)}; more than it, not equal to it; 1 turns this guard off)`,
    });
const sample = (what: string, example: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(MAX_GUARD_SAMPLE)
    .openapi({ example, description: `…once at least this many emails of the campaign were ${what}` });

/**
 * The complaint and bounce guards (domain/deliverability-guards.ts): when a campaign's spam
 * complaints or hard bounces pass these, it pauses itself (`complaint_rate`, `bounce_rate`).
 */
export const DeliverabilityGuardsSchema = registry.register(
  'DeliverabilityGuards',
  z
    .object({
      complaintRate: rate(
        'spam complaints are more than this share of the emails delivered',
        DEFAULT_GUARDS.complaintRate,
      ),
      complaintMinDelivered: sample('delivered', DEFAULT_GUARDS.complaintMinDelivered),
      bounceRate: rate('hard bounces are more than this share of the emails sent', DEFAULT_GUARDS.bounceRate),
      bounceMinSent: sample('sent', DEFAULT_GUARDS.bounceMinSent),
    })
    .strict()
    .openapi({
      description: `When a campaign pauses itself for its spam complaints or hard bounces, counted per invite over the whole campaign (delivered = sent and not hard-bounced). Defaults: complaints over ${percent(DEFAULT_GUARDS.complaintRate)} once ${DEFAULT_GUARDS.complaintMinDelivered} were delivered, hard bounces over ${percent(DEFAULT_GUARDS.bounceRate)} once ${DEFAULT_GUARDS.bounceMinSent} were sent`,
    }),
);

/** The guards as a PUT gives them: a field left out takes its default. */
const UpdateGuards = z
  .object({
    complaintRate: DeliverabilityGuardsSchema.shape.complaintRate.optional(),
    complaintMinDelivered: DeliverabilityGuardsSchema.shape.complaintMinDelivered.optional(),
    bounceRate: DeliverabilityGuardsSchema.shape.bounceRate.optional(),
    bounceMinSent: DeliverabilityGuardsSchema.shape.bounceMinSent.optional(),
  })
  .strict()
  .openapi({ description: 'Each field left out takes its default; `{}` = every default' });

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
    guards: DeliverabilityGuardsSchema,
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
      guards: UpdateGuards.optional().openapi({
        description:
          'The complaint and bounce guards; left out = the guards stay as they are (so a client that predates them keeps them)',
      }),
    })
    .strict()
    .openapi({
      description:
        'The whole policy: `limits` and `window` replace what was there; `guards`, when given, replaces the guards',
    }),
);
export type UpdateSendingPolicy = z.infer<typeof UpdateSendingPolicy>;
