import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendAudit, oneOffAuditKey, workflowAuditKey } from '../audit/log';
import { Database } from '../db/database';
import { newId } from '../db/ids';
import { AuditEntry } from '../entities/AuditEntry';

describe('The audit log has one writer and one key scheme', () => {
  let dir: string;
  let db: Database;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-audit-'));
    db = await Database.open({ type: 'sqlite', path: path.join(dir, 'herald.sqlite') }, { migrate: true });
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const rowsOf = (campaignId: string) =>
    db.manager.find(AuditEntry, { where: { campaignId }, order: { id: 'ASC' } });

  it("keys the workflow's entries `<campaignId>:<seq>`, as rows written before this module already are", () => {
    expect(workflowAuditKey('0198c0de-0000-7000-8000-000000000001', 7)).toBe(
      '0198c0de-0000-7000-8000-000000000001:7',
    );
  });

  it('keys every other entry by its source and the ids of its event, never starting with a campaign id', () => {
    const campaignId = newId();
    expect(oneOffAuditKey('created', campaignId)).toBe(`created:${campaignId}`);
    expect(oneOffAuditKey('erasure', 'e1', 'account')).toBe('erasure:e1:account');
    expect(oneOffAuditKey('created', campaignId).startsWith(campaignId)).toBe(false);
    // the longest: a source and two ids fit the 120-character column
    expect(oneOffAuditKey('erasure', newId(), newId()).length).toBeLessThanOrEqual(120);
  });

  it('when the same key is appended twice (a retried write), then there is one row and the second append says so', async () => {
    const campaignId = newId();
    const line = { accountId: newId(), campaignId, actor: 'system', action: 'status_changed' };
    const first = await db.transaction((em) =>
      appendAudit(em, workflowAuditKey(campaignId, 1), {
        ...line,
        fromStatus: 'draft',
        toStatus: 'launching',
      }),
    );
    const again = await db.transaction((em) =>
      appendAudit(em, workflowAuditKey(campaignId, 1), {
        ...line,
        fromStatus: 'draft',
        toStatus: 'launching',
      }),
    );
    expect([first, again]).toEqual([true, false]);
    expect(await rowsOf(campaignId)).toHaveLength(1);
  });

  it('when a line leaves fields out, then they are stored as null, and details as JSON', async () => {
    const campaignId = newId();
    const at = new Date('2025-01-02T03:04:05.000Z');
    await db.transaction((em) =>
      appendAudit(em, oneOffAuditKey('created', campaignId), {
        accountId: newId(),
        campaignId,
        actor: 'key-1',
        action: 'created',
        toStatus: 'draft',
        at,
      }),
    );
    await db.transaction((em) =>
      appendAudit(em, workflowAuditKey(campaignId, 1), {
        accountId: newId(),
        campaignId,
        actor: 'key-1',
        action: 'retry_failed',
        details: { released: 2 },
      }),
    );
    const [created, retried] = await rowsOf(campaignId);
    expect(created).toMatchObject({
      dedupeKey: `created:${campaignId}`,
      at,
      fromStatus: null,
      toStatus: 'draft',
      reason: null,
      details: null,
    });
    expect(retried).toMatchObject({ dedupeKey: `${campaignId}:1`, details: '{"released":2}' });
  });
});
