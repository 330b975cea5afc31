import { extendZodWithOpenApi, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { MAX_BATCH_GAP_MINUTES, MAX_BATCH_SIZE } from '../../domain/campaign';
import { INSTANT_RANGE_MESSAGE, instantInRange } from '../../domain/instant';
import { checkEmail } from '../../recipients/email-address';

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
export const isoInstant = z
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
      errors: z
        .array(z.object({ field: z.string(), message: z.string() }))
        .optional()
        .openapi({ description: 'validation_failed: each field refused and why' }),
      requiredCents: z
        .number()
        .int()
        .optional()
        .openapi({ description: 'insufficient_balance: what the command needs' }),
      availableCents: z
        .number()
        .int()
        .optional()
        .openapi({ description: 'insufficient_balance: the balance not yet reserved' }),
      currentStatus: z.string().optional().openapi({
        description: "invalid_state: the campaign's status (or a link's state) that refused the command",
      }),
      replacementId: z
        .string()
        .nullable()
        .optional()
        .openapi({ description: 'invite_reset: the live invite that replaced this one' }),
      replacementUrl: z
        .string()
        .nullable()
        .optional()
        .openapi({ description: "invite_reset: the replacement's link" }),
    })
    .openapi({
      description: 'RFC 9457 problem details with a stable `code`; some codes add the members described here',
    }),
);

export const Batch = z
  .object({
    size: z
      .number()
      .int()
      .min(1)
      .max(MAX_BATCH_SIZE)
      .nullable()
      .openapi({ description: 'Invites per batch; null sends all at once' }),
    gapMinutes: z
      .number()
      .min(0)
      .max(MAX_BATCH_GAP_MINUTES)
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

export const Pagination = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export const page = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const IdParams = z.object({ id: z.string().uuid() }).strict();

export const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(z.string()).optional(),
});

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

/** An Idempotency-Key, on any POST (api/idempotency.ts checks it before the route runs). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
export const IDEMPOTENCY_KEY_MESSAGE = 'expected 1-200 visible ASCII characters';
const idempotencyKey = z.string().regex(IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_MESSAGE);
export const IdempotencyKeyHeader = z.object({ 'idempotency-key': idempotencyKey.optional() });
/** Funds keep the key in their ledger entry's key (160 characters in all): at most 100 here. */
export const FundsIdempotencyKeyHeader = z.object({ 'idempotency-key': idempotencyKey.max(100).optional() });
