import { z } from 'zod';
import { isoInstant, registry } from './common';

export const FUNNEL_STAGE_NAMES = [
  'sent',
  'delivered',
  'opened',
  'clicked',
  'viewed',
  'started',
  'completed',
] as const;

const Interval = z.enum(['hour', 'day']).default('day').openapi({
  description: 'The width of a timeline step, in UTC: hour or day (default day)',
});
const Format = z.enum(['json', 'csv']).default('json').openapi({
  description: 'csv: the same numbers as a CSV file (text/csv) instead of JSON',
});

export const CampaignAnalyticsQuery = z.object({ interval: Interval, format: Format }).strict();

export const AccountAnalyticsQuery = z
  .object({
    from: isoInstant
      .optional()
      .openapi({ description: 'Start of the period (inclusive); default 30 days before `to`' }),
    to: isoInstant.optional().openapi({ description: 'End of the period (exclusive); default now' }),
    interval: Interval,
    format: Format,
  })
  .strict();

const Counts = z.object({
  sent: z.number().int(),
  delivered: z.number().int(),
  opened: z.number().int(),
  clicked: z.number().int(),
  viewed: z.number().int(),
  started: z.number().int(),
  completed: z.number().int(),
  machineOpened: z.number().int(),
  machineClicked: z.number().int(),
  machineViewed: z.number().int(),
  unsubscribed: z.number().int(),
});
export type AnalyticsCounts = z.infer<typeof Counts>;

const FunnelStep = z.object({
  stage: z.enum(FUNNEL_STAGE_NAMES),
  people: z.number().int().openapi({ description: 'Invites a person took at least this far' }),
  machines: z.number().int().openapi({
    description:
      'Opens, clicks or page visits machines made (image proxies, link scanners, HEAD requests): counted apart, they move no journey; 0 for stages machines do not reach',
  }),
  conversion: z.number().nullable().openapi({
    description: 'people ÷ the previous stage’s people (0 to 1); null for the first stage or after 0',
  }),
});

const TimelineStep = Counts.extend({ at: isoInstant.openapi({ description: 'Start of the step (UTC)' }) });

export const CampaignAnalytics = registry.register(
  'CampaignAnalytics',
  z.object({
    campaignId: z.string().uuid(),
    funnel: z.array(FunnelStep),
    outcomes: z.object({
      bounced: z.number().int().openapi({ description: 'Invites whose email hard-bounced' }),
      complained: z
        .number()
        .int()
        .openapi({ description: 'Invites whose recipient marked the email as spam' }),
      unsubscribed: z
        .number()
        .int()
        .openapi({ description: 'Recipients who unsubscribed from this campaign’s email' }),
      failed: z.number().int().openapi({
        description: 'Invites never sent: refused by the provider, or the address was suppressed',
      }),
    }),
    medianSecondsSentToCompleted: z.number().nullable().openapi({
      description:
        'Median time from the invitation email to the order, within 5%; null before any completion',
    }),
    interval: z.enum(['hour', 'day']),
    timeline: z.array(TimelineStep).openapi({
      description: 'Each stage reached, per step, oldest first; steps with nothing are left out',
    }),
  }),
);
export type CampaignAnalytics = z.infer<typeof CampaignAnalytics>;

export const AccountAnalytics = registry.register(
  'AccountAnalytics',
  z.object({
    from: isoInstant,
    to: isoInstant,
    interval: z.enum(['hour', 'day']),
    totals: Counts,
    campaigns: z.array(Counts.extend({ campaignId: z.string().uuid(), name: z.string() })).openapi({
      description: 'Each campaign with anything in the period, by name',
    }),
    timeline: z.array(TimelineStep),
  }),
);
export type AccountAnalytics = z.infer<typeof AccountAnalytics>;
