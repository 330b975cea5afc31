import type { Readable, Writable } from 'node:stream';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config/config';
import type { Database } from '../../db/database';
import { type ExpiresIn, linkState } from '../../domain/link';
import { Invite } from '../../entities/Invite';
import type { SecretBox } from '../../security/secrets';
import type { Caller } from '../auth';
import {
  CampaignEndedError,
  InviteErasedError,
  InviteExpiredError,
  InviteResetError,
  InvalidStateError,
} from '../errors';
import type {
  BulkInvites,
  CreateInvite,
  FromContacts,
  InviteView,
  ListInvitesQuery,
  UpdateInvite,
} from '../schemas';
import { changedDeadlines, futureExpiry, storeDeadlines } from './invite-deadlines';
import { importCsv } from './invite-import';
import { addBulk, addFromContacts, addOne, notifyWorkflow } from './invite-intake';
import { exportInvitesCsv, listInvites } from './invite-listing';
import { inviteUrl, inviteView, suppressionsOf } from './invite-view';
import { ownedCampaign, ownedInvite } from './owned';

export interface InviteServiceDeps {
  db: Database;
  temporal: Client;
  publicBaseUrl: string;
  /** Reads the suppressions of an invite's address (invite-view.ts `suppressionsOf`). */
  secrets: SecretBox;
  /** One CSV import's limits (config `imports`); default DEFAULT_IMPORT_LIMITS. */
  importLimits?: Config['imports'];
}

/**
 * The invites API's use cases. Adding them is invite-intake.ts (one, a list, contacts) and
 * invite-import.ts (the CSV); the invite table and its export are invite-listing.ts; what is
 * asked of one invite (its link, whether it may be sent again) is here.
 */
export class InviteService {
  constructor(private readonly deps: InviteServiceDeps) {}

  addOne(caller: Caller, campaignId: string, input: CreateInvite) {
    return addOne(this.deps, caller, campaignId, input);
  }

  addBulk(caller: Caller, campaignId: string, input: BulkInvites) {
    return addBulk(this.deps, caller, campaignId, input);
  }

  addFromContacts(caller: Caller, campaignId: string, input: FromContacts) {
    return addFromContacts(this.deps, caller, campaignId, input);
  }

  importCsv(caller: Caller, campaignId: string, body: Readable, declaredBytes?: number) {
    return importCsv(this.deps, caller, campaignId, body, declaredBytes);
  }

  list(caller: Caller, campaignId: string, query: ListInvitesQuery) {
    return listInvites(this.deps, caller, campaignId, query);
  }

  exportCsv(caller: Caller, campaignId: string, ids: string[] | undefined, out: Writable) {
    return exportInvitesCsv(this.deps, caller, campaignId, ids, out);
  }

  // ---- One invite ---------------------------------------------------------------------

  async viewById(caller: Caller, inviteId: string): Promise<InviteView> {
    const invite = await ownedInvite(this.deps.db, caller, inviteId);
    const campaign = await ownedCampaign(this.deps.db, caller, invite.campaignId);
    const suppressed = await suppressionsOf(this.deps.db.manager, this.deps.secrets, caller.accountId, [
      invite,
    ]);
    return inviteView(this.deps.publicBaseUrl, invite, campaign, suppressed(invite));
  }

  /** Copy link. A reset invite's link shows "Link Expired": never hand it out; name the live one. */
  async link(caller: Caller, inviteId: string): Promise<{ url: string }> {
    const invite = await ownedInvite(this.deps.db, caller, inviteId);
    if (!invite.voidedAt) return { url: inviteUrl(this.deps.publicBaseUrl, invite.token) };
    const live = await this.replacementOf(caller, invite);
    // No live one at the end of its resets: erasure voided it (a reset always names a replacement).
    if (!live) throw new InviteErasedError(invite.id);
    throw new InviteResetError(invite.id, live.id, inviteUrl(this.deps.publicBaseUrl, live.token));
  }

  /**
   * The invite a send or reset may go to, or why not, before the workflow is asked: an erased
   * invite is gone; a campaign that is over has only dead links to email; and a plain resend of
   * an invite whose own expiry passed would email a dead one too (a reset starts it over).
   */
  async resendable(
    caller: Caller,
    inviteId: string,
    reset: false | { expiresIn?: ExpiresIn },
  ): Promise<Invite> {
    const invite = await ownedInvite(this.deps.db, caller, inviteId);
    if (invite.voidedAt && !(await this.replacementOf(caller, invite)))
      throw new InviteErasedError(invite.id);
    const campaign = await ownedCampaign(this.deps.db, caller, invite.campaignId);
    const now = new Date();
    const { reason } = linkState({ campaign, invite, now });
    const action = reset ? 'reset this invite' : 'send this invite';
    if (reason === 'campaign_ended' || reason === 'campaign_expired')
      throw new CampaignEndedError(
        action,
        campaign.id,
        reason === 'campaign_ended' ? campaign.status : 'expired',
      );
    if (!reset && reason === 'invite_expired') throw new InviteExpiredError(invite.id, invite.expiresAt!);
    if (reset) futureExpiry(reset.expiresIn, now);
    return invite;
  }

  /**
   * PATCH /v1/invites/{id}: its own expiry and reminder, on a link still open. A reset or
   * erased invite answers as Copy link does (410); a used one, an expired one (a reset starts
   * it over) or one of a campaign that is over cannot change (409). The workflow then reads
   * its deadlines again (`invitesAdded`), so its one timer follows.
   */
  async update(caller: Caller, inviteId: string, patch: UpdateInvite, retried = false): Promise<InviteView> {
    const invite = await ownedInvite(this.deps.db, caller, inviteId);
    if (invite.voidedAt) await this.link(caller, inviteId); // throws: reset or erased
    const campaign = await ownedCampaign(this.deps.db, caller, invite.campaignId);
    const now = new Date();
    const { reason } = linkState({ campaign, invite, now });
    const action = "change this invite's expiry";
    if (reason === 'campaign_ended' || reason === 'campaign_expired')
      throw new CampaignEndedError(
        action,
        campaign.id,
        reason === 'campaign_ended' ? campaign.status : 'expired',
      );
    if (reason === 'used')
      throw new InvalidStateError(
        action,
        'used',
        `Cannot ${action}: invite ${invite.id} was used, so its link has done its work`,
      );
    if (reason === 'invite_expired' || invite.expiredAt)
      throw new InviteExpiredError(invite.id, invite.expiresAt!, 'it can no longer change');
    const next = changedDeadlines(invite, patch, now);
    const { stored, notify } = await storeDeadlines(this.deps.db, caller, invite, next, now);
    // Something came in between (a use, the expiry sweep, a reset): answer as for what it is now.
    if (!stored) {
      if (retried)
        throw new InvalidStateError(action, 'changed', `Invite ${invite.id} changed meanwhile: try again`);
      return this.update(caller, inviteId, patch, true);
    }
    if (notify) await notifyWorkflow(this.deps.temporal, campaign.id);
    return this.viewById(caller, inviteId);
  }

  /** Follows resets (each voided invite points at the one that replaced it) to the live invite. */
  private async replacementOf(caller: Caller, invite: Invite): Promise<Invite | null> {
    let current = invite;
    for (let hop = 0; current.voidedAt && current.replacedById && hop < 1000; hop++) {
      const next = await this.deps.db.manager.findOneBy(Invite, {
        id: current.replacedById,
        accountId: caller.accountId,
      });
      if (!next) return null;
      current = next;
    }
    return current.voidedAt ? null : current;
  }
}
