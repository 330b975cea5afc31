import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { at, id, ref, str } from './1763683200000-Foundation';

/** Recipients, delivery (exactly-once notifications), suppressions, contacts, idempotent POSTs. */
export class Delivery1763856000000 implements MigrationInterface {
  name = 'Delivery1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('invites', [
      new TableColumn({ name: 'reminderDaysBefore', type: 'double', isNullable: true }),
      new TableColumn(at('reminderAt', true)),
      new TableColumn(at('reminderSentAt', true)),
      new TableColumn(at('journeyAt', true)),
      new TableColumn(at('usedAt', true)),
      new TableColumn(str('orderRef', 100, true)),
      new TableColumn(str('deliveryStatus', 16, true)),
      new TableColumn(str('deliveryError', 300, true)),
      new TableColumn(at('expiredAt', true)),
      new TableColumn(ref('replacedById', true)),
    ]);
    await q.createIndices('invites', [
      new TableIndex({ name: 'IDX_invites_campaign_unsent', columnNames: ['campaignId', 'sentAt', 'id'] }),
      new TableIndex({ name: 'IDX_invites_campaign_email', columnNames: ['campaignId', 'email'] }),
      new TableIndex({ name: 'IDX_invites_campaign_expiresAt', columnNames: ['campaignId', 'expiresAt'] }),
      new TableIndex({ name: 'IDX_invites_campaign_reminderAt', columnNames: ['campaignId', 'reminderAt'] }),
    ]);
    await q.addColumns('campaigns', [
      new TableColumn({ name: 'maxFailurePercent', type: 'int', default: 20 }),
      new TableColumn({ name: 'event', type: 'text', isNullable: true }),
      new TableColumn({ name: 'eventSequence', type: 'int', default: 0 }),
    ]);
    await q.addColumns('accounts', [
      new TableColumn({ name: 'postmarkServerTokenEnc', type: 'text', isNullable: true }),
      new TableColumn(str('fromEmail', 320, true)),
    ]);
    await q.createTable(
      new Table({
        name: 'contacts',
        columns: [id(), ref('accountId'), str('email', 320), str('name', 200, true), at('createdAt')],
        indices: [{ name: 'UQ_contacts_account_email', columnNames: ['accountId', 'email'], isUnique: true }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'notifications',
        columns: [
          id(),
          ref('accountId'),
          ref('campaignId', true),
          ref('inviteId', true),
          str('kind', 24),
          str('idempotencyKey', 160),
          str('state', 16),
          str('recipient', 320),
          str('providerMessageId', 100, true),
          str('error', 300, true),
          { name: 'errorCode', type: 'int', isNullable: true },
          { name: 'attempts', type: 'int', default: 0 },
          at('createdAt'),
          at('sentAt', true),
        ],
        indices: [
          { name: 'UQ_notifications_idempotencyKey', columnNames: ['idempotencyKey'], isUnique: true },
          { name: 'IDX_notifications_campaign_state', columnNames: ['campaignId', 'state'] },
          { name: 'IDX_notifications_invite', columnNames: ['inviteId'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'outbox_emails',
        columns: [
          id(),
          ref('accountId', true),
          str('fromAddress', 400),
          str('toAddress', 320),
          str('subject', 300),
          { name: 'html', type: 'text' },
          { name: 'textBody', type: 'text' },
          { name: 'metadata', type: 'text' },
          { name: 'attachments', type: 'text', isNullable: true },
          str('messageStream', 40),
          at('createdAt'),
        ],
        indices: [{ name: 'IDX_outbox_emails_accountId', columnNames: ['accountId'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'suppressions',
        columns: [id(), ref('accountId'), str('email', 320), str('reason', 40), at('createdAt')],
        indices: [
          { name: 'UQ_suppressions_account_email', columnNames: ['accountId', 'email'], isUnique: true },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'idempotency_keys',
        columns: [
          id(),
          ref('accountId'),
          str('idempotencyKey', 200),
          str('requestHash', 64),
          { name: 'statusCode', type: 'int' },
          { name: 'responseBody', type: 'text' },
          at('createdAt'),
        ],
        indices: [
          {
            name: 'UQ_idempotency_keys_account_key',
            columnNames: ['accountId', 'idempotencyKey'],
            isUnique: true,
          },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_keys', 'suppressions', 'outbox_emails', 'notifications', 'contacts'])
      await q.dropTable(t);
    await q.dropColumns('accounts', ['postmarkServerTokenEnc', 'fromEmail']);
    await q.dropColumns('campaigns', ['maxFailurePercent', 'event', 'eventSequence']);
    for (const name of [
      'IDX_invites_campaign_unsent',
      'IDX_invites_campaign_email',
      'IDX_invites_campaign_expiresAt',
      'IDX_invites_campaign_reminderAt',
    ]) {
      await q.dropIndex('invites', name);
    }
    await q.dropColumns('invites', [
      'reminderDaysBefore',
      'reminderAt',
      'reminderSentAt',
      'journeyAt',
      'usedAt',
      'orderRef',
      'deliveryStatus',
      'deliveryError',
      'expiredAt',
      'replacedById',
    ]);
  }
}
