import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Database } from '../db/database';
import { DevInboxEmail } from '../entities/DevInboxEmail';
import { DevInboxPort } from '../email/dev-inbox';
import {
  EmailRateLimitedError,
  EmailTemporarilyUnavailableError,
  EmailTokenInvalidError,
  type EmailMessage,
  type MessageOutcome,
} from '../email/port';
import { PostmarkEmail } from '../email/postmark';
import { useFakePostmark } from './support/fixture';
import { startFakePostmark } from './support/postmark-server';

const TOKEN = 'account-server-token';
const creds = { serverToken: TOKEN };

let seq = 0;
function message(overrides: Partial<EmailMessage> = {}): EmailMessage {
  seq += 1;
  return {
    from: '"Acme Events" <events@acme.test>',
    to: `guest${seq}@example.com`,
    subject: "You're invited",
    html: '<p>Come along</p>',
    text: 'Come along',
    messageStream: 'outbound',
    metadata: { idempotencyKey: `send-${seq}`, kind: 'invitation', inviteId: `inv-${seq}` },
    ...overrides,
  };
}

describe("The Postmark adapter, against a server speaking Postmark's contract", () => {
  const server = useFakePostmark({ tokens: [TOKEN] });
  let postmark: PostmarkEmail;
  beforeAll(() => {
    postmark = new PostmarkEmail({ apiUrl: server.url, timeoutSeconds: 5 });
  });
  beforeEach(() => server.reset());

  it('when a batch is sent, then every message reaches Postmark with its metadata, attachments and headers, and each outcome carries its MessageID', async () => {
    const withAttachment = message({
      attachments: [
        {
          name: 'invite.ics',
          contentType: 'text/calendar',
          content: Buffer.from('BEGIN').toString('base64'),
        },
      ],
      headers: { 'List-Unsubscribe': '<https://herald.test/u/abc>' },
    });
    const plain = message({ messageStream: 'broadcast' });

    const outcomes = await postmark.sendBatch(creds, [withAttachment, plain]);

    expect(server.calls).toEqual([expect.objectContaining({ path: '/email/batch', token: TOKEN, count: 2 })]);
    expect(server.sent).toHaveLength(2);
    expect(outcomes).toEqual(server.sent.map((s) => ({ ok: true, messageId: s.MessageID })));
    const [first, second] = server.sent;
    expect(first).toMatchObject({
      To: withAttachment.to,
      From: withAttachment.from,
      Subject: "You're invited",
      HtmlBody: '<p>Come along</p>',
      TextBody: 'Come along',
      MessageStream: 'outbound',
      Metadata: withAttachment.metadata,
      Attachments: [
        expect.objectContaining({ Name: 'invite.ics', ContentType: 'text/calendar', Content: 'QkVHSU4=' }),
      ],
      Headers: [{ Name: 'List-Unsubscribe', Value: '<https://herald.test/u/abc>' }],
    });
    expect(second).toMatchObject({ To: plain.to, MessageStream: 'broadcast', Attachments: [] });
  });

  it('when Postmark refuses some recipients (406 inactive, 300 invalid), then those outcomes are ok:false with badAddress and the rest are sent', async () => {
    const inactive = message();
    const good = message();
    const illegal = message();
    const malformed = message({ to: 'not-an-address' });
    server.rejectRecipient(inactive.to, 406);
    server.rejectRecipient(illegal.to, 300);

    const outcomes = await postmark.sendBatch(creds, [inactive, good, illegal, malformed]);

    expect(outcomes).toEqual<MessageOutcome[]>([
      { ok: false, errorCode: 406, message: expect.stringContaining('inactive'), badAddress: true },
      { ok: true, messageId: server.sent[0].MessageID },
      { ok: false, errorCode: 300, message: expect.any(String), badAddress: true },
      { ok: false, errorCode: 300, message: "Invalid 'To' address", badAddress: true },
    ]);
    expect(server.sent.map((s) => s.To)).toEqual([good.to]);
  });

  it('when the token is revoked, then the whole call fails with EmailTokenInvalidError and nothing is sent', async () => {
    await postmark.sendBatch(creds, [message()]); // caches a client for the token
    server.revokeToken(TOKEN);

    await expect(postmark.sendBatch(creds, [message(), message()])).rejects.toBeInstanceOf(
      EmailTokenInvalidError,
    );
    await expect(postmark.findSent(creds, 'idempotencyKey', 'x')).rejects.toBeInstanceOf(
      EmailTokenInvalidError,
    );
    expect(server.sent).toHaveLength(1);
  });

  it('when the token is empty, then it fails as an invalid token without calling Postmark', async () => {
    await expect(postmark.sendBatch({ serverToken: ' ' }, [message()])).rejects.toBeInstanceOf(
      EmailTokenInvalidError,
    );
    expect(server.calls).toHaveLength(0);
  });

  it.each([429, 500, 503])(
    'when Postmark answers HTTP %i, then the whole call fails with EmailTemporarilyUnavailableError carrying the status, and a retry succeeds',
    async (status) => {
      server.failNext(1, status);

      const failure = postmark.sendBatch(creds, [message()]);
      await expect(failure).rejects.toBeInstanceOf(EmailTemporarilyUnavailableError);
      await expect(failure).rejects.toMatchObject({ status });
      expect(server.sent).toHaveLength(0);

      await expect(postmark.sendBatch(creds, [message()])).resolves.toEqual([
        { ok: true, messageId: expect.any(String) },
      ]);
    },
  );

  it('when Postmark answers HTTP 429, then the call fails as rate limited, asking to wait 30 s unless configured otherwise', async () => {
    server.failNext(1, 429);
    await expect(postmark.sendBatch(creds, [message()])).rejects.toMatchObject({
      name: 'EmailRateLimitedError',
      status: 429,
      retryAfterMs: 30_000,
    });
    const patient = new PostmarkEmail({ apiUrl: server.url, rateLimitBackoffSeconds: 3 });
    server.failNext(1, 429);
    const failure = patient.sendBatch(creds, [message()]);
    await expect(failure).rejects.toBeInstanceOf(EmailRateLimitedError);
    await expect(failure).rejects.toMatchObject({ retryAfterMs: 3_000 });
    expect(server.sent).toHaveLength(0);
  });

  it('when Postmark refuses the whole request for another reason, then it is a plain Error naming the code', async () => {
    server.failNext(1, 422);
    const failure = postmark.sendBatch(creds, [message()]);
    await expect(failure).rejects.toThrow(/HTTP 422 \(ErrorCode 422/);
    await expect(failure).rejects.not.toBeInstanceOf(EmailTemporarilyUnavailableError);
  });

  it('when the server is slower than the timeout, then the call fails as temporarily unavailable, and findSent settles whether it went out', async () => {
    server.delayMs(1_000);
    const ambiguous = message();
    const impatient = new PostmarkEmail({ apiUrl: server.url, timeoutSeconds: 0.3 });

    await expect(impatient.sendBatch(creds, [ambiguous])).rejects.toBeInstanceOf(
      EmailTemporarilyUnavailableError,
    );

    server.delayMs(0);
    // The fake, like Postmark, may have accepted a batch whose response never arrived.
    await expect(postmark.findSent(creds, 'idempotencyKey', ambiguous.metadata.idempotencyKey)).resolves.toBe(
      server.sent[0].MessageID,
    );
  });

  it('when nothing listens at the API url, then the call fails as temporarily unavailable', async () => {
    const gone = await startFakePostmark();
    await gone.close();
    const unreachable = new PostmarkEmail({ apiUrl: gone.url });
    await expect(unreachable.sendBatch(creds, [message()])).rejects.toBeInstanceOf(
      EmailTemporarilyUnavailableError,
    );
  });

  it('findSent finds an accepted message by a metadata value, and returns null for an unknown value or another server', async () => {
    const sent = message({ metadata: { idempotencyKey: 'camp-1/batch-7/3', kind: 'invitation' } });
    await postmark.sendBatch(creds, [message(), sent, message()]);
    const expected = server.sent.find((s) => s.To === sent.to)!.MessageID;

    await expect(postmark.findSent(creds, 'idempotencyKey', 'camp-1/batch-7/3')).resolves.toBe(expected);
    expect(server.calls.at(-1)).toMatchObject({ path: '/messages/outbound', token: TOKEN });
    await expect(postmark.findSent(creds, 'idempotencyKey', 'camp-1/batch-7/4')).resolves.toBeNull();

    server.addToken('other-account');
    await expect(
      postmark.findSent({ serverToken: 'other-account' }, 'idempotencyKey', 'camp-1/batch-7/3'),
    ).resolves.toBeNull();
  });

  it("when the sender is checked, then Postmark's GET /server is read with the token, sending nothing; a revoked token is EmailTokenInvalidError, no answer is temporarily unavailable", async () => {
    await expect(postmark.checkCredentials(creds)).resolves.toBeUndefined();
    expect(server.calls).toEqual([expect.objectContaining({ path: '/server', token: TOKEN, count: 0 })]);
    expect(server.sent).toEqual([]);

    server.revokeToken(TOKEN);
    await expect(postmark.checkCredentials(creds)).rejects.toBeInstanceOf(EmailTokenInvalidError);
    server.failAll(503);
    server.addToken(TOKEN);
    await expect(postmark.checkCredentials(creds)).rejects.toBeInstanceOf(EmailTemporarilyUnavailableError);
    server.failAll(null);
  });

  it('rejects an API url with a path, which the client would silently drop', () => {
    expect(() => new PostmarkEmail({ apiUrl: 'https://proxy.test/postmark' })).toThrow(/path/);
    expect(new PostmarkEmail({ apiUrl: 'https://api.postmarkapp.com' }).maxBatchSize).toBe(500);
  });
});

describe('The fake Postmark server, on the parts of the contract the adapter does not reach', () => {
  const server = useFakePostmark({ tokens: [TOKEN] });
  beforeEach(() => server.reset());

  const post = (p: string, body: unknown, token: string | null = TOKEN) =>
    fetch(server.url + p, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { 'X-Postmark-Server-Token': token } : {}) },
      body: JSON.stringify(body),
    });
  const single = { From: 'a@acme.test', To: 'b@example.com', Subject: 's', TextBody: 't' };

  it('when the token header is missing, then it answers 401 ErrorCode 10 as JSON', async () => {
    const res = await post('/email', single, null);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toMatchObject({ ErrorCode: 10 });
  });

  it('when a single message is refused, then it answers 422 with the ErrorCode; else 200 with a MessageID', async () => {
    server.rejectRecipient('b@example.com', 406);
    const refused = await post('/email', single);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ ErrorCode: 406 });

    const ok = await post('/email', { ...single, To: 'c@example.com' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ ErrorCode: 0, MessageID: server.sent[0].MessageID });
  });

  it('when a batch carries more than 500 messages, then it is refused whole with 422', async () => {
    const res = await post(
      '/email/batch',
      Array.from({ length: 501 }, () => single),
    );
    expect(res.status).toBe(422);
    expect(server.sent).toHaveLength(0);
  });

  it('when failAll is set, then every call answers that status until cleared', async () => {
    server.failAll(503);
    expect((await post('/email', single)).status).toBe(503);
    expect((await post('/email', single)).status).toBe(503);
    server.failAll(null);
    expect((await post('/email', single)).status).toBe(200);
    expect(server.calls.map((c) => c.count)).toEqual([1, 1, 1]);
  });
});

describe('The outbox adapter (EMAIL_PROVIDER=outbox)', () => {
  let dir: string;
  let db: Database;
  const lines: string[] = [];
  let outbox: DevInboxPort;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-outbox-'));
    db = await Database.open({ type: 'sqlite', path: path.join(dir, 'herald.sqlite') }, { migrate: true });
    outbox = new DevInboxPort({ db, log: (line) => lines.push(line) });
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when a batch is sent, then each message is stored and logged, and the outcome ids are the row ids', async () => {
    lines.length = 0;
    const invite = message({
      to: 'alice@example.com',
      metadata: { idempotencyKey: 'k-alice', kind: 'invitation', inviteId: 'inv-42', accountId: 'acc-1' },
      attachments: [{ name: 'a.txt', contentType: 'text/plain', content: 'aGk=' }],
    });
    const alert = message({
      to: 'owner@acme.test',
      subject: 'Campaign paused',
      metadata: { idempotencyKey: 'k-alert' },
    });

    const outcomes = await outbox.sendBatch({ serverToken: 'dev' }, [invite, alert]);

    const ids = outcomes.map((o) => (o.ok ? o.messageId : null));
    const rows = await db.manager.findBy(DevInboxEmail, {});
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids[0]!)).toMatchObject({
      accountId: 'acc-1',
      toAddress: 'alice@example.com',
      subject: "You're invited",
      messageStream: 'outbound',
      metadata: JSON.stringify(invite.metadata),
      attachments: JSON.stringify(invite.attachments),
    });
    expect(byId.get(ids[1]!)).toMatchObject({
      accountId: null,
      attachments: null,
      subject: 'Campaign paused',
    });
    expect(lines).toEqual([
      `outbox: to alice@example.com "You're invited" (invitation, invite inv-42)`,
      `outbox: to owner@acme.test "Campaign paused"`,
    ]);
  });

  it('findSent finds a stored message by exact metadata value, treating LIKE wildcards literally', async () => {
    const tricky = message({ metadata: { idempotencyKey: 'c_1/50%' } });
    const [outcome] = await outbox.sendBatch({ serverToken: 'dev' }, [tricky]);

    await expect(outbox.findSent({ serverToken: 'dev' }, 'idempotencyKey', 'c_1/50%')).resolves.toBe(
      outcome.ok && outcome.messageId,
    );
    await expect(outbox.findSent({ serverToken: 'dev' }, 'idempotencyKey', 'cx1/50x')).resolves.toBeNull();
    await expect(outbox.findSent({ serverToken: 'dev' }, 'idempotencyKey', 'C_1/50%')).resolves.toBeNull();
    await expect(outbox.findSent({ serverToken: 'dev' }, 'idempotencyKey', 'never-sent')).resolves.toBeNull();
  });

  it('when the token is "invalid", then it throws EmailTokenInvalidError and stores nothing', async () => {
    const before = await db.manager.count(DevInboxEmail);
    await expect(outbox.sendBatch({ serverToken: 'invalid' }, [message()])).rejects.toBeInstanceOf(
      EmailTokenInvalidError,
    );
    expect(await db.manager.count(DevInboxEmail)).toBe(before);
  });

  it('when the sender is checked, then any token passes but "invalid", as sendBatch judges them, and nothing is stored', async () => {
    const before = await db.manager.count(DevInboxEmail);
    await expect(outbox.checkCredentials({ serverToken: 'dev' })).resolves.toBeUndefined();
    await expect(outbox.checkCredentials({ serverToken: 'invalid' })).rejects.toBeInstanceOf(
      EmailTokenInvalidError,
    );
    expect(await db.manager.count(DevInboxEmail)).toBe(before);
  });

  it('uses accountIdOf when given, to attribute messages', async () => {
    const attributed = new DevInboxPort({ db, log: () => undefined, accountIdOf: () => 'acc-from-fn' });
    const [outcome] = await attributed.sendBatch({ serverToken: 'dev' }, [message()]);
    const row = await db.manager.findOneByOrFail(DevInboxEmail, { id: outcome.ok ? outcome.messageId : '' });
    expect(row.accountId).toBe('acc-from-fn');
  });
});
