import type { Writable } from 'node:stream';
import { type FindOptionsWhere, In, IsNull, LessThan, Not, Raw } from 'typeorm';
import type { Database } from '../../db/database';
import type { SecretBox } from '../../security/secrets';
import { liveInvite } from '../../db/invite-scopes';
import { FAILED_DELIVERY } from '../../db/progress';
import { Invite } from '../../entities/Invite';
import type { Caller } from '../auth';
import type { InviteView, ListInvitesQuery } from '../schemas';
import { decodeCursor, encodeCursor } from './cursor';
import { inviteView, suppressionsOf } from './invite-view';
import { ownedCampaign } from './owned';

/** The invite table: a campaign's live invites, a page at a time or as a CSV. */
export interface ListingDeps {
  db: Database;
  publicBaseUrl: string;
  secrets: SecretBox;
}

const EXPORT_PAGE = 1000;

export async function listInvites(
  { db, publicBaseUrl, secrets }: ListingDeps,
  caller: Caller,
  campaignId: string,
  query: ListInvitesQuery,
): Promise<{ data: InviteView[]; nextCursor: string | null }> {
  const campaign = await ownedCampaign(db, caller, campaignId);
  const where: FindOptionsWhere<Invite> = {
    campaignId,
    accountId: caller.accountId,
    ...liveInvite, // a reset's old invite stays in the audit log, not in reports
    ...(query.status ? { status: query.status } : {}),
    ...(query.assigned ? { email: query.assigned === 'true' ? Not(IsNull()) : IsNull() } : {}),
    ...(query.delivery === 'failed' ? { deliveryStatus: In([...FAILED_DELIVERY]) } : {}),
    ...(query.cursor ? { id: LessThan(decodeCursor(query.cursor)) } : {}),
  };
  const rows = await db.manager.find(Invite, {
    // A search is either column containing it: the same filters, OR-ed over the two.
    where: query.q
      ? [
          { ...where, name: contains(query.q) },
          // Link-only invites (assigned=false) have no address to search.
          ...(query.assigned === 'false' ? [] : [{ ...where, email: contains(query.q.toLowerCase()) }]),
        ]
      : where,
    order: { id: 'DESC' },
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const suppressed = await suppressionsOf(db.manager, secrets, caller.accountId, page);
  return {
    data: page.map((i) => inviteView(publicBaseUrl, i, campaign, suppressed(i))),
    nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].id) : null,
  };
}

/**
 * `LIKE '%text%'` with the text's own % and _ taken literally (escaped with `!`, which both
 * SQLite and MariaDB accept as an ESCAPE character). Both compare letter case aside: SQLite's
 * LIKE for ASCII, MariaDB by the column's collation; addresses are stored in lower case.
 */
function contains(text: string) {
  const pattern = `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
  return Raw((column) => `${column} LIKE :pattern ESCAPE '!'`, { pattern });
}

/** CSV of the selected invites (all when no ids), streamed, with full URLs and no formula cells. */
export async function exportInvitesCsv(
  { db, publicBaseUrl }: ListingDeps,
  caller: Caller,
  campaignId: string,
  ids: string[] | undefined,
  out: Writable,
): Promise<void> {
  const campaign = await ownedCampaign(db, caller, campaignId);
  const write = async (cells: (string | null | undefined)[]) => {
    if (!out.write(csvLine(cells)) && !out.destroyed) await drained(out);
  };
  const page = (where: FindOptionsWhere<Invite>) =>
    db.manager.find(Invite, {
      where: { campaignId, accountId: caller.accountId, ...liveInvite, ...where },
      order: { id: 'DESC' },
      take: EXPORT_PAGE,
    });
  await write(['id', 'name', 'email', 'url', 'status', 'journey', 'sentAt', 'expiresAt', 'order', 'phone']);
  // Selected ids are looked up a page at a time too (10,000 would overflow SQLite's IN list),
  // newest first as the whole-campaign export is.
  const selected = ids && [...new Set(ids)].sort().reverse();
  let cursor: string | undefined;
  for (let at = 0; !out.destroyed; at += EXPORT_PAGE) {
    const rows = selected
      ? await page({ id: In(selected.slice(at, at + EXPORT_PAGE)) })
      : await page(cursor ? { id: LessThan(cursor) } : {});
    for (const i of rows) {
      const v = inviteView(publicBaseUrl, i, campaign, null); // the CSV has no suppression column
      await write([
        v.id,
        v.name,
        v.email,
        v.url,
        v.status,
        v.journey,
        v.sentAt,
        v.expiresAt,
        v.order,
        v.phone,
      ]);
    }
    if (selected ? at + EXPORT_PAGE >= selected.length : rows.length < EXPORT_PAGE) break;
    cursor = rows[rows.length - 1].id;
  }
  out.end();
}

/** Resolves when the client has taken what was written, or has gone. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Spreadsheets run cells that start with = + - @ (or tab/CR) as formulas: prefix them with '. */
export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
const csvLine = (cells: (string | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`;
