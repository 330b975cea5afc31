import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

/**
 * One POST of a delivery to its endpoint, as the receiver answered it: the delivery log's
 * history ("every attempt is in the delivery log"). The delivery row keeps only the last.
 * It carries the account so erasure finds a receiver's answer that quotes an address.
 */
@Entity('webhook_attempts')
@Index(['deliveryId', 'id'])
export class WebhookAttempt {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 36 })
  endpointId!: string;

  @Column({ type: 'varchar', length: 36 })
  deliveryId!: string;

  @Column({ ...instant })
  at!: Date;

  /** The receiver's HTTP status; null when there was none (timeout, refused connection). */
  @Column({ type: 'int', nullable: true })
  status!: number | null;

  @Column({ type: 'int' })
  latencyMs!: number;

  @Column({ type: 'varchar', length: 300, nullable: true })
  error!: string | null;

  /** The retry this failure scheduled; null when it was delivered, or when it was given up. */
  @Column({ ...instant, nullable: true })
  nextAttemptAt!: Date | null;
}
