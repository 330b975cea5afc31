import { DEFAULT_BROADCAST_STREAM } from '../../recipients/unsubscribe';
import { IsNull, LessThan, Not } from 'typeorm';
import { appendAudit, oneOffAuditKey } from '../../audit/log';
import type { Database } from '../../db/database';
import type { SecretBox } from '../../security/secrets';
import { newId } from '../../db/ids';
import { lockAccount } from '../../db/locks';
import { fund } from '../../money/ledger';
import { newSecret } from '../../security/tokens';
import { Account } from '../../entities/Account';
import { ApiKey, type ApiKeyRole } from '../../entities/ApiKey';
import { Campaign } from '../../entities/Campaign';
import { LedgerEntry, type LedgerKind } from '../../entities/LedgerEntry';
import { type Caller, hashApiKey } from '../auth';
import { describeGuards, describeWindow, guardsOf } from '../../sending/account-policy';
import { guardsOr } from '../../domain/deliverability-guards';
import { checkEmail } from '../../recipients/email-address';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type {
  AccountView,
  ApiKeyView,
  SendingPolicyView,
  UpdateAccount,
  UpdateSendingPolicy,
  UsageView,
} from '../schemas';
import { decodeCursor, encodeCursor } from './cursor';

/** Working (unrevoked) keys an account may hold: enough for every service and person, not unbounded. */
export const MAX_API_KEYS = 100;

export interface NewAccount {
  name: string;
  ownerEmail: string;
  balanceCents: number;
  /** Use this key instead of generating one (the dev command's DEV_ADMIN_KEY). */
  adminKey?: string;
}

export class AccountService {
  constructor(
    private readonly db: Database,
    private readonly secrets?: SecretBox,
    /** Told after the sending policy changed, so campaigns waiting under the old one look again. */
    private readonly onSendingPolicyChanged?: (accountId: string) => Promise<void>,
  ) {}

  /** The account's own sender. The token is sealed (security/secrets.ts); only its last characters are ever shown. */
  async setEmailProvider(
    accountId: string,
    token: string,
    fromEmail: string,
    /** The broadcast stream for campaign email; omitted: `broadcast`. Owner notices stay on `outbound`. */
    messageStream?: string,
    /** Who set it, for the audit log (an API key id). */
    actor = 'system',
  ): Promise<{ fromEmail: string; tokenConfigured: boolean; tokenHint: string; messageStream: string }> {
    if (!this.secrets) throw new Error('AccountService needs a SecretBox to store email tokens');
    const sealed = this.secrets.seal(token);
    await this.db.transaction(async (em) => {
      await em.update(
        Account,
        { id: accountId },
        { emailTokenSealed: sealed, fromEmail, messageStream: messageStream ?? null },
      );
      // Never the token, not even its hint: the log is read by support keys too.
      await appendAudit(em, oneOffAuditKey('settings', newId()), {
        accountId,
        campaignId: null,
        actor,
        action: 'email_sender_set',
        reason: `sender ${fromEmail}, stream ${messageStream ?? DEFAULT_BROADCAST_STREAM}; a new server token stored`,
      });
    });
    return {
      fromEmail,
      tokenConfigured: true,
      tokenHint: `…${token.slice(-4)}`,
      messageStream: messageStream ?? DEFAULT_BROADCAST_STREAM,
    };
  }

  async createAccount(input: NewAccount): Promise<{ accountId: string; adminKey: string }> {
    // The owner gets alerts and summaries: the same address rule as every recipient.
    const owner = checkEmail(input.ownerEmail);
    if (!owner.ok) throw new ValidationError([{ field: 'ownerEmail', message: owner.reason }]);
    const accountId = newId();
    const adminKey = input.adminKey ?? newApiKey();
    await this.db.transaction(async (em) => {
      await em.insert(Account, {
        id: accountId,
        name: input.name,
        ownerEmail: owner.email,
        balanceCents: 0,
        reservedCents: 0,
        expiryGraceDays: 0,
        createdAt: new Date(),
      });
      // The opening balance is a deposit like any other: the ledger adds up to the balance.
      if (input.balanceCents > 0)
        await fund(em, { accountId, amountCents: input.balanceCents, key: `fund:${accountId}:opening` });
      await em.insert(ApiKey, keyRow(accountId, 'admin', adminKey));
    });
    return { accountId, adminKey };
  }

  async createApiKey(
    accountId: string,
    role: ApiKeyRole,
    name?: string,
    /** Who created it, for the audit log: an API key id, or `system` (bin/admin.ts). */
    actor = 'system',
  ): Promise<{ id: string; role: ApiKeyRole; name: string | null; key: string }> {
    const key = newApiKey();
    const row = keyRow(accountId, role, key, name);
    await this.db.transaction(async (em) => {
      // Two creates at the cap must not both count 99: the second waits for the first's commit.
      await lockAccount(em, accountId);
      if (!(await em.existsBy(Account, { id: accountId }))) throw new NotFoundError(`Account ${accountId}`);
      if ((await em.countBy(ApiKey, { accountId, revokedAt: IsNull() })) >= MAX_API_KEYS)
        throw new ConflictError(
          `An account may hold at most ${MAX_API_KEYS} working API keys, and this one has as many: revoke one it no longer needs (DELETE /v1/api-keys/{id}), then create this one`,
        );
      await em.insert(ApiKey, row);
      await appendAudit(em, oneOffAuditKey('api-key', row.id, 'created'), {
        accountId,
        campaignId: null,
        actor,
        action: 'api_key_created',
        reason: `${role} key ${row.prefix}…${row.name ? ` (${row.name})` : ''}`,
        details: { keyId: row.id, role },
      });
    });
    return { id: row.id, role, name: row.name, key };
  }

  /** Newest first; revoked keys stay listed (with `revokedAt`); the key itself is never kept. */
  async listApiKeys(
    accountId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ data: ApiKeyView[]; nextCursor: string | null }> {
    const rows = await this.db.manager.find(ApiKey, {
      where: { accountId, ...(cursor ? { id: LessThan(decodeCursor(cursor)) } : {}) },
      order: { id: 'DESC' },
      take: limit + 1,
    });
    const page = rows.slice(0, limit);
    return {
      data: page.map(keyView),
      nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null,
    };
  }

  /**
   * Revokes at once: every API process reads the key's row on every request (no cache), so
   * the next request with it is a 401 wherever it lands. An admin may revoke the key it is
   * using (rotation, a leak), but not the account's last working admin key: that would lock
   * the account out for good. Revoking a revoked key answers it as it is.
   */
  async revokeApiKey(accountId: string, keyId: string, actor = 'system'): Promise<ApiKeyView> {
    return this.db.transaction(async (em) => {
      // Serializes revocations per account (MySQL; SQLite writes one at a time anyway), so
      // two concurrent revocations cannot both see "another admin key remains".
      await lockAccount(em, accountId);
      const key = await em.findOneBy(ApiKey, { id: keyId, accountId });
      if (!key) throw new NotFoundError(`API key ${keyId}`);
      if (key.revokedAt) return keyView(key);
      if (key.role === 'admin') {
        const otherAdmins = await em.countBy(ApiKey, {
          accountId,
          role: 'admin',
          revokedAt: IsNull(),
          id: Not(keyId),
        });
        if (otherAdmins === 0)
          throw new ConflictError(
            "This is the account's last working admin key: create another admin key before revoking it",
          );
      }
      key.revokedAt = new Date();
      await em.update(ApiKey, { id: keyId, accountId }, { revokedAt: key.revokedAt });
      await appendAudit(em, oneOffAuditKey('api-key', keyId, 'revoked'), {
        accountId,
        campaignId: null,
        at: key.revokedAt,
        actor,
        action: 'api_key_revoked',
        reason: `${key.role} key ${key.prefix}…${key.name ? ` (${key.name})` : ''}`,
        details: { keyId, role: key.role },
      });
      return keyView(key);
    });
  }

  async get(accountId: string): Promise<AccountView> {
    const a = await this.db.manager.findOneBy(Account, { id: accountId });
    if (!a) throw new NotFoundError(`Account ${accountId}`);
    return {
      id: a.id,
      name: a.name,
      ownerEmail: a.ownerEmail,
      balanceCents: a.balanceCents,
      reservedCents: a.reservedCents,
      availableCents: a.balanceCents - a.reservedCents,
      expiryGraceDays: a.expiryGraceDays,
    };
  }

  /** Settings the account's admin may change; applies to campaigns that expire from now on. */
  async update(accountId: string, changes: UpdateAccount, actor = 'system'): Promise<AccountView> {
    await this.db.transaction(async (em) => {
      await lockAccount(em, accountId);
      const before = await em.findOneBy(Account, { id: accountId });
      if (!before) throw new NotFoundError(`Account ${accountId}`);
      if (before.expiryGraceDays === changes.expiryGraceDays) return; // nothing changed, nothing logged
      await em.update(Account, { id: accountId }, { expiryGraceDays: changes.expiryGraceDays });
      await appendAudit(em, oneOffAuditKey('settings', newId()), {
        accountId,
        campaignId: null,
        actor,
        action: 'account_settings_changed',
        reason: `expiry grace: ${before.expiryGraceDays} → ${changes.expiryGraceDays} days`,
        details: { field: 'expiryGraceDays', from: before.expiryGraceDays, to: changes.expiryGraceDays },
      });
    });
    return this.get(accountId);
  }

  /** The account's sending limits and send window (SPEC "Sending policy"); none: `[]` and null. */
  async sendingPolicy(accountId: string): Promise<SendingPolicyView> {
    const a = await this.db.manager.findOneBy(Account, { id: accountId });
    if (!a) throw new NotFoundError(`Account ${accountId}`);
    return policyView(a);
  }

  /**
   * Replaces the whole policy, read from the row by whatever sends next (no copy is held
   * anywhere). A change is audited as the account's (no campaign), with before and after; a PUT
   * of the policy already there changes nothing and logs nothing.
   */
  async setSendingPolicy(caller: Caller, policy: UpdateSendingPolicy): Promise<SendingPolicyView> {
    const { accountId } = caller;
    let changed = false;
    const stored = await this.db.transaction(async (em) => {
      await lockAccount(em, accountId); // two admins at once: each logs what it really replaced
      const account = await em.findOneBy(Account, { id: accountId });
      if (!account) throw new NotFoundError(`Account ${accountId}`);
      const before = policyView(account);
      const after: SendingPolicyView = {
        limits: policy.limits.map(({ max, windowSeconds }) => ({ max, windowSeconds })),
        window: policy.window,
        guards: policy.guards ? guardsOr(policy.guards) : before.guards,
      };
      if (JSON.stringify(before) === JSON.stringify(after)) return before;
      // No limits are stored as null, as on an account that never had any: one way to say none.
      await em.update(
        Account,
        { id: accountId },
        {
          sendLimits: after.limits.length ? after.limits : null,
          sendWindow: after.window,
          // Left out: the row keeps what it had (none stays none, so it follows the defaults).
          deliverabilityGuards: policy.guards ? after.guards : account.deliverabilityGuards,
        },
      );
      await appendAudit(em, oneOffAuditKey('settings', newId()), {
        accountId,
        campaignId: null,
        actor: caller.keyId,
        action: 'sending_policy_changed',
        reason: `${after.limits.length} sending limits; send window ${describeWindow(after.window, 'none')}; ${describeGuards(after.guards)}`,
        details: { from: before, to: after },
      });
      changed = true;
      return after;
    });
    if (changed) await this.onSendingPolicyChanged?.(accountId);
    return stored;
  }

  /** With an Idempotency-Key, a repeated request adds the money once. */
  async addFunds(accountId: string, amountCents: number, idempotencyKey?: string): Promise<AccountView> {
    const key = `fund:${accountId}:${idempotencyKey ?? newId()}`;
    await this.db.transaction((em) => fund(em, { accountId, amountCents, key }));
    return this.get(accountId);
  }

  /** Reservations, charges and releases per campaign, from the ledger. */
  async usage(accountId: string): Promise<UsageView> {
    const rows: { campaignId: string | null; kind: string; total: string | number }[] = await this.db.manager
      .createQueryBuilder(LedgerEntry, 'l')
      .select('l.campaignId', 'campaignId')
      .addSelect('l.kind', 'kind')
      .addSelect('SUM(l.amountCents)', 'total')
      .where('l.accountId = :accountId', { accountId })
      .groupBy('l.campaignId')
      .addGroupBy('l.kind')
      .getRawMany();
    const ids = [...new Set(rows.flatMap((r) => (r.campaignId ? [r.campaignId] : [])))];
    const names = new Map(
      (ids.length
        ? await this.db.manager.find(Campaign, {
            where: ids.map((id) => ({ id, accountId })),
            select: { id: true, name: true },
          })
        : []
      ).map((c) => [c.id, c.name]),
    );
    const byCampaign = new Map<string, UsageView['data'][number]>();
    const totals = { reservedCents: 0, chargedCents: 0, releasedCents: 0, fundedCents: 0 };
    for (const r of rows) {
      const amount = Number(r.total);
      const field = KIND_FIELD[r.kind as LedgerKind];
      totals[field] += amount;
      if (!r.campaignId || field === 'fundedCents') continue;
      const entry = byCampaign.get(r.campaignId) ?? {
        campaignId: r.campaignId,
        campaignName: names.get(r.campaignId) ?? '',
        reservedCents: 0,
        chargedCents: 0,
        releasedCents: 0,
        heldCents: 0,
      };
      entry[field] += amount;
      entry.heldCents = entry.reservedCents - entry.chargedCents - entry.releasedCents;
      byCampaign.set(r.campaignId, entry);
    }
    return {
      data: [...byCampaign.values()].sort((a, b) => b.campaignId.localeCompare(a.campaignId)),
      totals,
    };
  }

  async findAccountByKey(key: string): Promise<Account | null> {
    const row = await this.db.manager.findOneBy(ApiKey, { keyHash: hashApiKey(key) });
    return row ? this.db.manager.findOneBy(Account, { id: row.accountId }) : null;
  }
}

/** Only the fields the API names, whatever else a stored JSON document may carry. */
function policyView(a: Account): SendingPolicyView {
  const w = a.sendWindow;
  return {
    limits: (a.sendLimits ?? []).map(({ max, windowSeconds }) => ({ max, windowSeconds })),
    window: w ? { timeZone: w.timeZone, days: w.days, from: w.from, to: w.to } : null,
    guards: guardsOf(a),
  };
}

const KIND_FIELD = {
  reserve: 'reservedCents',
  charge: 'chargedCents',
  release: 'releasedCents',
  fund: 'fundedCents',
} as const;

export const newApiKey = (): string => newSecret('hk_');

function keyRow(accountId: string, role: ApiKeyRole, key: string, name?: string): ApiKey {
  return {
    id: newId(),
    accountId,
    role,
    name: name ?? null,
    keyHash: hashApiKey(key),
    prefix: key.slice(0, 10),
    createdAt: new Date(),
    lastUsedAt: null,
    revokedAt: null,
  };
}

const keyView = (k: ApiKey): ApiKeyView => ({
  id: k.id,
  role: k.role,
  name: k.name,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
  revokedAt: k.revokedAt?.toISOString() ?? null,
});
