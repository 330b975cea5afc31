import { FAKE_POSTMARK_TOKEN, type FakePostmark, type SentMessage } from './postmark-server';
import type { Schemas } from './api-types';
import type { ApiClient } from './stack';

export const PLATFORM_FROM = 'platform@herald.test';

/** The environment that points a stack's API and worker at the local Postmark server. */
export const postmarkEnv = (fake: FakePostmark): Record<string, string> => ({
  EMAIL_PROVIDER: 'postmark',
  POSTMARK_API_URL: fake.url,
  POSTMARK_SERVER_TOKEN: FAKE_POSTMARK_TOKEN,
  EMAIL_FROM: PLATFORM_FROM,
  POSTMARK_WEBHOOK_USER: 'hooks',
  POSTMARK_WEBHOOK_PASSWORD: 'hook-secret',
});

/** A draft with `n` recipients (recipientN@<domain>), added in bulk. */
export async function draftWithRecipients(
  api: ApiClient,
  n: number,
  body: Partial<Schemas['CreateCampaign']>,
  domain = `d${Date.now()}.example.com`,
): Promise<{ id: string; emails: string[] }> {
  const created = await api.post('/v1/campaigns', {
    name: 'Delivery',
    description: 'Come along.',
    costPerInviteCents: 1,
    ...body,
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  const emails = Array.from({ length: n }, (_, i) => `recipient${i}@${domain}`);
  for (let i = 0; i < n; i += 1000) {
    const res = await api.post(`/v1/campaigns/${created.body.id}/invites/bulk`, {
      recipients: emails.slice(i, i + 1000).map((email) => ({ email, name: `R${i}` })),
    });
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  }
  return { id: created.body.id, emails };
}

/** Every invite of a campaign, through the API's pages. */
export async function allInvites(api: ApiClient, campaignId: string): Promise<Schemas['Invite'][]> {
  const all: Schemas['Invite'][] = [];
  let cursor: string | null = null;
  do {
    const after: string = cursor ? `&cursor=${cursor}` : '';
    const page = await api.get(`/v1/campaigns/${campaignId}/invites?limit=500${after}`);
    all.push(...page.body.data);
    cursor = page.body.nextCursor;
  } while (cursor);
  return all;
}

/** An invite with an address, as every invite of a `draftWithRecipients` campaign is. */
export type EmailedInvite = Schemas['Invite'] & { email: string };

export function emailed(invite: Schemas['Invite']): EmailedInvite {
  if (invite.email === null) throw new Error(`invite ${invite.id} has no address`);
  return { ...invite, email: invite.email };
}

export const invitationsOf = (fake: FakePostmark, campaignId: string): SentMessage[] =>
  fake.sent.filter(
    (m) => m.Metadata.campaignId === campaignId && ['invitation', 'resend'].includes(m.Metadata.kind),
  );

/** Recipient → how many invitation emails they got. */
export function perRecipient(messages: SentMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.To.toLowerCase(), (counts.get(m.To.toLowerCase()) ?? 0) + 1);
  return counts;
}
