import { timingSafeEqual } from 'node:crypto';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import type { Database } from '../../db/database';
import { newId } from '../../db/ids';
import { addCount, COMPLETED_IN, completionBucket, moveJourney } from '../../db/analytics-counts';
import { type Audience, classifyTouch } from '../../domain/engagement';
import { type Journey, JOURNEY, linkState, type LinkVerdict, wasErased } from '../../domain/link';
import { Campaign } from '../../entities/Campaign';
import { Invite } from '../../entities/Invite';
import { normaliseEmail } from '../../recipients/email-address';
import type { SecretBox } from '../../security/secrets';
import { recordEvents } from '../../webhooks/events';
import type { Caller } from '../auth';
import { InviteErasedError, LinkStateError, NotFoundError } from '../errors';
import type { LinkView } from '../schemas';

export interface ResolvedLink {
  verdict: LinkVerdict;
  invite: Invite | null;
  campaign: Campaign | null;
}

/** A journey step's answer: the link as it was, and whether this call moved it. */
export interface StepResult extends ResolvedLink {
  changed: boolean;
}

/** What an answer to "which address was this invitation sent to?" came to. */
export type EmailAnswer = 'match' | 'wrong';

/** The audit actor for what a recipient does at their link (no API key, no workflow). */
export const RECIPIENT_ACTOR = 'recipient';

/**
 * What a recipient's link does: the pages and the links API (`/v1/links`) call this, and it
 * calls domain/link.ts, so both follow one set of rules. Each journey step that moves records
 * its webhook event (`invite.viewed|started|completed`) in the same transaction.
 */
const isAscii = (text: string) => [...text].every((c) => c.charCodeAt(0) < 0x80);
/** Not url-safe base64, so no invite has it. */
const NO_TOKEN = '!';

export class LinkService {
  constructor(
    private readonly db: Database,
    private readonly secrets: SecretBox,
    /** PREFETCH_WINDOW_SECONDS: a visit this soon after delivery, before any person, is a machine's. */
    private readonly prefetchWindowSeconds?: number,
  ) {}

  /** `accountId`: the links API's scope; another account's token is not found. */
  async resolve(token: string, accountId?: string): Promise<ResolvedLink> {
    // Tokens are url-safe base64 of 24 bytes; anything else cannot exist, but is looked up
    // all the same so a malformed token costs what a real one does. The column compares
    // bytes (TokenExact migration), yet MySQL pads: `abc` = `abc ` under every PAD SPACE
    // collation. So the token found must also be the token asked for, exactly.
    // The column is ASCII, and MySQL refuses to compare it with other characters (an error,
    // not a miss): such a token is looked up as one outside the alphabet, found by none.
    const found = await this.db.manager.findOneBy(Invite, { token: isAscii(token) ? token : NO_TOKEN });
    const invite =
      found?.token === token && (accountId === undefined || found.accountId === accountId) ? found : null;
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

  /**
   * Opening a working link records `viewed` (journeys only move forward). It takes the link
   * resolved: the page looks first, to ask for the address or to redirect.
   */
  async viewed(link: ResolvedLink, visitor?: Visitor): Promise<ResolvedLink> {
    if (link.verdict.state !== 'ready' || !link.invite) return link;
    const invite = link.invite;
    if (visitor && visitorAudience(invite, visitor, this.prefetchWindowSeconds) === 'machines') {
      // A scanner's fetch: counted apart, and the journey stays where a person left it.
      await this.db.transaction((em) => addCount(em, invite, 'machine_viewed', new Date()));
      return link;
    }
    await this.advance(invite, 'viewed');
    return link;
  }

  async start(token: string, accountId?: string): Promise<StepResult> {
    const link = await this.resolve(token, accountId);
    if (link.verdict.state !== 'ready' || !link.invite) return { ...link, changed: false };
    return { ...link, changed: await this.advance(link.invite, 'started') };
  }

  /**
   * Completing uses the invite: its page then reads "Already Completed". Conditional on the
   * invite being unused, so of two racing completions exactly one changes anything.
   */
  async complete(token: string, order: string | null, accountId?: string): Promise<StepResult> {
    const link = await this.resolve(token, accountId);
    const invite = link.invite;
    if (link.verdict.state !== 'ready' || !invite) return { ...link, changed: false };
    const now = new Date();
    const changed = await this.db.transaction(async (em) => {
      const moved = await moveJourney(em, { id: invite.id }, 'completed', now, {
        where: { status: 'unused' },
        set: { status: 'used', usedAt: now, orderRef: order },
      });
      if (!moved) return false;
      // How long from the email to the order: the analytics' median reads these buckets.
      if (moved.invite.sentAt)
        await addCount(
          em,
          invite,
          `${COMPLETED_IN}${completionBucket((now.getTime() - moved.invite.sentAt.getTime()) / 1000)}`,
          now,
        );
      await recordEvents(em, [
        {
          accountId: invite.accountId,
          campaignId: invite.campaignId,
          type: 'invite.completed',
          key: invite.id,
          data: { inviteId: invite.id, campaignId: invite.campaignId, order },
          at: now,
        },
      ]);
      return true;
    });
    if (changed)
      Object.assign(invite, { status: 'used', usedAt: now, journey: 'completed', orderRef: order });
    return { ...link, changed };
  }

  // ---- The links API: the same steps, scoped to the caller's account --------------------

  async read(caller: Caller, token: string): Promise<LinkView> {
    const link = await this.resolve(token, caller.accountId);
    found(link);
    return linkView(link);
  }

  async startFor(caller: Caller, token: string): Promise<LinkView> {
    const link = await this.start(token, caller.accountId);
    const invite = found(link);
    if (link.verdict.state !== 'ready') throw new LinkStateError('start', link.verdict.state);
    return linkView(link.changed ? { ...link, invite: { ...invite, journey: 'started' } } : link);
  }

  /** Twice is a 409: the second finds the link completed (or loses the race to the first). */
  async completeFor(caller: Caller, token: string, order: string | null): Promise<LinkView> {
    const link = await this.complete(token, order, caller.accountId);
    found(link);
    if (!link.changed)
      throw new LinkStateError('complete', link.verdict.state === 'ready' ? 'completed' : link.verdict.state);
    return linkView(link);
  }

  // ---- Email match (a campaign's requireEmailMatch) -----------------------------------

  /** Whether this link asks for the address before it opens: only a campaign's setting and an address to match. */
  asksForEmail(link: ResolvedLink): boolean {
    return Boolean(link.campaign?.requireEmailMatch && link.invite?.email);
  }

  /**
   * Compares the typed address with the invite's through the one normaliser (so case and
   * surrounding spaces do not matter). A wrong answer is audited as such: neither address is
   * written anywhere. A right one returns the proof the page keeps in a cookie.
   */
  async answerEmail(link: ResolvedLink, typed: string): Promise<{ answer: EmailAnswer; proof?: string }> {
    const { invite } = link;
    if (!invite?.email) return { answer: 'wrong' };
    if (normaliseEmail(typed) === normaliseEmail(invite.email))
      return { answer: 'match', proof: this.matchProof(invite) };
    await this.db.transaction((em) =>
      appendAudit(em, oneOffAuditKey('link', newId()), {
        accountId: invite.accountId,
        campaignId: invite.campaignId,
        actor: RECIPIENT_ACTOR,
        action: 'email_match_refused',
        reason: 'the address typed at the link did not match the invite',
        details: { inviteId: invite.id },
      }),
    );
    return { answer: 'wrong' };
  }

  /** Whether `proof` (from the cookie) is this invite's, for its current address. */
  provesMatch(link: ResolvedLink, proof: string | undefined): boolean {
    if (!proof || !link.invite?.email) return false;
    const expected = Buffer.from(this.matchProof(link.invite));
    const given = Buffer.from(proof);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** A keyed digest of the invite and its address: it says "matched" without carrying either. */
  private matchProof(invite: Invite): string {
    return this.secrets.fingerprint(`email-match:v1:${invite.id}:${normaliseEmail(invite.email ?? '')}`);
  }

  /** Moves the journey forward (never back) and records the step's event with it. */
  private async advance(invite: Invite, to: Journey & ('viewed' | 'started')): Promise<boolean> {
    const now = new Date();
    return this.db.transaction(async (em) => {
      if (!(await moveJourney(em, { id: invite.id }, to, now))) return false;
      await recordEvents(em, [
        {
          accountId: invite.accountId,
          campaignId: invite.campaignId,
          type: `invite.${to}`,
          key: invite.id,
          data: { inviteId: invite.id, campaignId: invite.campaignId },
          at: now,
        },
      ]);
      return true;
    });
  }
}

/** Who asked for a recipient page: enough to tell a scanner from a person (domain/engagement.ts). */
export interface Visitor {
  method: string;
  userAgent: string | undefined;
}

function visitorAudience(invite: Invite, visitor: Visitor, prefetchWindowSeconds?: number): Audience {
  const stage = JOURNEY.indexOf(invite.journey);
  const delivered = JOURNEY.indexOf('delivered');
  return classifyTouch({
    kind: 'view',
    method: visitor.method,
    userAgent: visitor.userAgent,
    secondsSinceDelivery:
      invite.journeyAt && stage >= JOURNEY.indexOf('sent') && stage <= delivered
        ? (Date.now() - invite.journeyAt.getTime()) / 1000
        : null,
    humanSeen: stage > delivered,
    prefetchWindowSeconds,
  }).audience;
}

function found(link: ResolvedLink): Invite {
  if (!link.invite) throw new NotFoundError('Link');
  if (wasErased(link.invite)) throw new InviteErasedError(link.invite.id);
  return link.invite;
}

function linkView({ verdict, invite }: ResolvedLink): LinkView {
  const i = invite!;
  return {
    id: i.id,
    campaignId: i.campaignId,
    name: i.name,
    email: i.email,
    status: i.status,
    linkState: verdict.state === 'ready' && i.status === 'used' ? 'completed' : verdict.state,
    journey: i.journey,
    order: i.orderRef,
    usedAt: i.usedAt?.toISOString() ?? null,
    expiresAt: i.expiresAt?.toISOString() ?? null,
  };
}
