import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

/**
 * The outbox of events for the customer's systems (webhooks/events.ts): written in the same
 * transaction as the change it reports, delivered afterwards. Its id is the `webhook-id`
 * every delivery attempt of it carries, so receivers deduplicate.
 */
@Entity('webhook_events')
@Index(['accountId', 'id'])
export class WebhookEvent {
  /** UUIDv7: time-ordered, so the account's events are delivered in the order they happened. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  campaignId!: string | null;

  @Column({ type: 'varchar', length: 40 })
  type!: string;

  /** One event per fact, however often the change that reports it is retried. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 160 })
  dedupeKey!: string;

  /** The body sent: `{type, timestamp, data}` as JSON. */
  @Column({ type: 'text' })
  payload!: string;

  @Column({ ...instant })
  createdAt!: Date;
}
