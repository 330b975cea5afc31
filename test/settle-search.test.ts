import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Database } from '../db/database';
import { DevInboxPort } from '../email/dev-inbox';
import type { EmailMessage } from '../email/port';
import { PostmarkEmail } from '../email/postmark';
import { useFakePostmark } from './support/fixture';

const TOKEN = 'account-server-token';
const creds = { serverToken: TOKEN };

const batchOf = (sendBatch: string, n: number, from = 0): EmailMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    from: '"Acme" <events@acme.test>',
    to: `guest${from + i}@example.com`,
    subject: 'Hi',
    html: '<p>Hi</p>',
    text: 'Hi',
    messageStream: 'outbound',
    metadata: { idempotencyKey: `${sendBatch}/${from + i}`, sendBatch },
  }));

describe('Settling a whole batch with one search (findAllSent)', () => {
  const server = useFakePostmark({ tokens: [TOKEN, 'other-server'] });
  let postmark: PostmarkEmail;
  beforeAll(() => {
    postmark = new PostmarkEmail({ apiUrl: server.url });
  });

  it('when Postmark holds a batch of 500, then one search returns every message of it with its metadata, and nothing of another batch or server', async () => {
    const sent = await postmark.sendBatch(creds, batchOf('b-1', 500));
    await postmark.sendBatch(creds, batchOf('b-2', 3));
    await postmark.sendBatch({ serverToken: 'other-server' }, batchOf('b-1', 2, 900));
    server.calls.length = 0;

    const found = await postmark.findAllSent(creds, 'sendBatch', 'b-1');

    expect(server.calls.filter((c) => c.path === '/messages/outbound')).toHaveLength(1);
    expect(found).toHaveLength(500);
    expect(new Set(found.map((f) => f.messageId))).toEqual(
      new Set(sent.map((o) => (o.ok ? o.messageId : null))),
    );
    expect(new Set(found.map((f) => f.metadata.idempotencyKey))).toEqual(
      new Set(Array.from({ length: 500 }, (_, i) => `b-1/${i}`)),
    );
  });

  it('when more match than a page holds, then it pages with count and offset inside the documented window', async () => {
    await postmark.sendBatch(creds, batchOf('b-big', 500));
    await postmark.sendBatch(creds, batchOf('b-big', 101, 500));
    server.calls.length = 0;

    const found = await postmark.findAllSent(creds, 'sendBatch', 'b-big');

    expect(found).toHaveLength(601);
    expect(server.calls.map((c) => c.path)).toEqual(['/messages/outbound', '/messages/outbound']);
  });

  it('when nothing carries the value, then one search answers: none', async () => {
    server.calls.length = 0;
    await expect(postmark.findAllSent(creds, 'sendBatch', 'never-sent')).resolves.toEqual([]);
    expect(server.calls).toHaveLength(1);
  });
});

describe('The outbox settles a batch the same way', () => {
  let dir: string;
  let db: Database;
  let outbox: DevInboxPort;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-settle-'));
    db = await Database.open({ type: 'sqlite', path: path.join(dir, 'herald.sqlite') }, { migrate: true });
    outbox = new DevInboxPort({ db, log: () => undefined });
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when a batch was stored, then findAllSent returns exactly its messages, a LIKE wildcard in the value taken literally', async () => {
    const sent = await outbox.sendBatch(creds, batchOf('b_1%', 4));
    await outbox.sendBatch(creds, batchOf('bx1x', 2));
    const found = await outbox.findAllSent(creds, 'sendBatch', 'b_1%');
    expect(found.map((f) => f.messageId).sort()).toEqual(sent.map((o) => (o.ok ? o.messageId : '')).sort());
    expect(found.map((f) => f.metadata.idempotencyKey).sort()).toEqual(
      ['b_1%/0', 'b_1%/1', 'b_1%/2', 'b_1%/3'].sort(),
    );
  });
});
