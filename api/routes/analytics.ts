import type { Response } from 'express';
import { z } from 'zod';
import { json, problem } from '../openapi-helpers';
import { Routes } from '../route';
import {
  AccountAnalytics,
  AccountAnalyticsQuery,
  CampaignAnalytics,
  CampaignAnalyticsQuery,
  IdParams,
} from '../schemas';
import { accountCsv, type AnalyticsService, campaignCsv } from '../usecases/analytics';

const routes = new Routes<{ analytics: AnalyticsService }>('/v1');

/** JSON, or with `?format=csv` the same numbers as a file (a link can ask for it; no Accept juggling). */
const jsonOrCsv = (schema: z.ZodTypeAny, description: string) => ({
  description,
  content: {
    ...json(schema, description).content,
    'text/csv': { schema: z.string() },
  },
});

function sendCsv(res: Response, name: string, body: string) {
  res
    .status(200)
    .type('text/csv; charset=utf-8')
    .set('Content-Disposition', `attachment; filename="${name}"`)
    .send(body);
}

routes.add({
  method: 'get',
  path: '/v1/campaigns/{id}/analytics',
  operationId: 'getCampaignAnalytics',
  summary: "A campaign's funnel (people and machines apart), outcomes and timeline",
  description:
    'How many invites a person took at least to each stage (sent … completed), with the opens, clicks and page visits machines made counted apart (they move no journey: see docs/analytics.md for the rules); the conversion between stages; bounces, complaints, unsubscribes and failures; the median time from the email to the order; and a timeline of each stage by hour or day (UTC). Counted as events happen, so it answers as fast for a million invites as for ten. Both roles may read it: numbers only, no recipient. `?format=csv`: one row per step after a total row.',
  access: 'any',
  params: IdParams,
  query: CampaignAnalyticsQuery,
  responses: {
    200: jsonOrCsv(CampaignAnalytics, 'The numbers'),
    400: problem('validation_failed: a bad interval or format'),
    404: problem('not_found'),
  },
  handler: async ({ caller, params, query }, { analytics }, _req, res) => {
    const answer = await analytics.campaign(caller, params.id, query.interval);
    if (query.format !== 'csv') return answer;
    sendCsv(res, `campaign-${params.id}-analytics.csv`, campaignCsv(answer));
    return undefined;
  },
});

routes.add({
  method: 'get',
  path: '/v1/analytics',
  operationId: 'getAccountAnalytics',
  summary: "The account's numbers over a period, per campaign, with a timeline",
  description:
    "What happened between `from` and `to` (default: the last 30 days; at most 366): each stage people reached in the period, machines' opens, clicks and visits, and unsubscribes, for the account and per campaign. Counted by the hour: the hours the period touches. Both roles may read it. `?format=csv`: one row per campaign after a total row.",
  access: 'any',
  query: AccountAnalyticsQuery,
  responses: {
    200: jsonOrCsv(AccountAnalytics, 'The numbers'),
    400: problem('validation_failed: a bad period, interval or format'),
  },
  handler: async ({ caller, query }, { analytics }, _req, res) => {
    const answer = await analytics.account(caller, query);
    if (query.format !== 'csv') return answer;
    sendCsv(res, 'analytics.csv', accountCsv(answer));
    return undefined;
  },
});

export const analyticsRoutes = (deps: { analytics: AnalyticsService }) => routes.router(deps);
