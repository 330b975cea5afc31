import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/** Webhooks find the notification by the provider's MessageID: one lookup per event, indexed. */
export class ProviderMessageIndex1764203300000 implements MigrationInterface {
  name = 'ProviderMessageIndex1764203300000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex(
      'notifications',
      new TableIndex({ name: 'IDX_notifications_providerMessageId', columnNames: ['providerMessageId'] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('notifications', 'IDX_notifications_providerMessageId');
  }
}
