import { z } from 'zod';
import { isoInstant } from './common';

// ---- An invite's expiry and reminder, as requests name them ---------------------------
// Plain schemas, not registered components: the invites and the campaign's invite defaults
// share them, and each place inlines them in openapi.json.

export const EXPIRY_PRESETS = ['never', '1d', '7d', '30d'] as const;

export const ExpiresIn = z.union([z.enum(EXPIRY_PRESETS), isoInstant]).openapi({
  description: '`never`, `1d`, `7d`, `30d` or an ISO instant; the campaign expiry wins if it comes first',
});

export const ReminderDaysBefore = z
  .number()
  .positive()
  .max(365)
  .openapi({ description: 'Email a reminder this many days before the invite expires (decimals allowed)' });

/** A reminder needs an expiry to count back from. */
export const withReminderRule = <T extends z.ZodTypeAny>(schema: T): z.ZodEffects<T> =>
  schema.refine(
    (v: { expiresIn?: string | null; reminderDaysBefore?: number | null }) =>
      v.reminderDaysBefore == null || (v.expiresIn ?? 'never') !== 'never',
    { path: ['reminderDaysBefore'], message: 'needs an expiresIn other than never' },
  ) as z.ZodEffects<T>;

/**
 * A campaign's invite defaults (issue 24): what an invite added without its own `expiresIn` or
 * `reminderDaysBefore` gets, by whichever way it comes in (one, bulk, CSV, contacts).
 */
export const InviteDefaults = withReminderRule(
  z
    .object({
      expiresIn: ExpiresIn.optional().openapi({
        description:
          "Each invite's expiry when it names none: `never`, `1d`, `7d`, `30d` (counted from when it is added) or an ISO instant (in the future). Absent: never",
      }),
      reminderDaysBefore: ReminderDaysBefore.optional().openapi({
        description:
          'Email a reminder this many days before the invite expires, when the invite names no reminder of its own (decimals allowed); needs an expiresIn other than never',
      }),
    })
    .strict(),
).openapi({
  description:
    'What each invite added to this campaign gets when it does not say: its expiry and its reminder. A value the invite gives wins, field by field',
});
export type InviteDefaults = z.infer<typeof InviteDefaults>;

/** The defaults as the campaign view shows them: null = none (the invite never expires, no reminder). */
export const InviteDefaultsView = z
  .object({
    expiresIn: z
      .string()
      .nullable()
      .openapi({ description: '`never`, `1d`, `7d`, `30d` or an ISO instant; null: none' }),
    reminderDaysBefore: z.number().nullable(),
  })
  .openapi({ description: 'What an invite added without its own expiry or reminder gets' });
