import { In } from 'typeorm';
import type { Database } from '../../db/database';
import { type Journey, JOURNEY, linkState, type LinkVerdict } from '../../domain/link';
import { Campaign } from '../../entities/Campaign';
import { Invite } from '../../entities/Invite';

export interface ResolvedLink {
  verdict: LinkVerdict;
  invite: Invite | null;
  campaign: Campaign | null;
}

/** What a recipient's link does: the pages call this, and it calls domain/link.ts. */
export class LinkService {
  constructor(private readonly db: Database) {}

  async resolve(token: string): Promise<ResolvedLink> {
    // Tokens are url-safe base64 of 24 bytes; anything else cannot exist, but is looked up
    // all the same so a malformed token costs what a real one does. The column compares
    // bytes (TokenExact migration), yet MySQL pads: `abc` = `abc ` under every PAD SPACE
    // collation. So the token found must also be the token asked for, exactly.
    const found = await this.db.manager.findOneBy(Invite, { token });
    const invite = found?.token === token ? found : null;
    const campaign = invite ? await this.db.manager.findOneBy(Campaign, { id: invite.campaignId }) : null;
    if (!invite || !campaign)
      return {
        verdict: linkState({
          campaign: { status: 'active', expiresAt: null },
          invite: null,
          now: Date.now(),
        }),
        invite: null,
        campaign: null,
      };
    return { verdict: linkState({ campaign, invite, now: Date.now() }), invite, campaign };
  }

  /** Opening a working link records `viewed` (journeys only move forward). */
  async view(token: string): Promise<ResolvedLink> {
    const link = await this.resolve(token);
    if (link.verdict.state === 'ready' && link.invite) await this.advance(link.invite, 'viewed');
    return link;
  }

  async start(token: string): Promise<ResolvedLink> {
    const link = await this.resolve(token);
    if (link.verdict.state === 'ready' && link.invite) await this.advance(link.invite, 'started');
    return link;
  }

  /** Completing uses the invite: its page then reads "Already Completed". */
  async complete(token: string, order: string | null): Promise<ResolvedLink> {
    const link = await this.resolve(token);
    if (link.verdict.state !== 'ready' || !link.invite) return link;
    const now = new Date();
    await this.db.transaction((em) =>
      em.update(
        Invite,
        { id: link.invite!.id, status: 'unused' },
        { status: 'used', usedAt: now, journey: 'completed', journeyAt: now, orderRef: order },
      ),
    );
    return link;
  }

  private async advance(invite: Invite, to: Journey): Promise<void> {
    const before = JOURNEY.slice(0, JOURNEY.indexOf(to));
    await this.db.transaction((em) =>
      em.update(Invite, { id: invite.id, journey: In(before) }, { journey: to, journeyAt: new Date() }),
    );
  }
}
