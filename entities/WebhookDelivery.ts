import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

/**
 * - pending: to be sent (again), at `nextAttemptAt` at the earliest;
 * - delivered: the receiver answered 2xx;
 * - failed: given up (its endpoint was disabled); a manual retry makes it pending again.
 */
export const WEBHOOK_DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/** One event for one endpoint, with its last attempt: the delivery log. */
@Entity('webhook_deliveries')
@Index(['endpointId', 'eventId'], { unique: true })
@Index(['endpointId', 'state', 'eventId'])
export class WebhookDelivery {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  endpointId!: string;

  /** The `webhook-id` of every attempt. */
  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 40 })
  eventType!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: WebhookDeliveryState;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** The receiver's HTTP status; null when there was none (timeout, refused connection). */
  @Column({ type: 'int', nullable: true })
  lastStatus!: number | null;

  @Column({ type: 'int', nullable: true })
  lastLatencyMs!: number | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  lastError!: string | null;

  @Column({ ...instant, nullable: true })
  lastAttemptAt!: Date | null;

  @Column({ ...instant, nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ ...instant })
  createdAt!: Date;
}
