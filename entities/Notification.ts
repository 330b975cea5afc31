import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

export const NOTIFICATION_KINDS = [
  'invitation',
  'reminder',
  'resend',
  'calendar_update',
  'calendar_cancel',
  'owner_summary',
  'owner_alert',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * - pending: written before the provider call (the claim);
 * - sent / failed: the provider's answer, written after it;
 * A `pending` row older than one attempt is ambiguous (a crash between call and commit):
 * the provider is asked (outbound search by metadata) before anything is sent again.
 */
export const NOTIFICATION_STATES = ['pending', 'sent', 'failed'] as const;
export type NotificationState = (typeof NOTIFICATION_STATES)[number];

/** The exactly-once record of emails: one row per notification, keyed by its idempotency key. */
@Entity('notifications')
@Index(['campaignId', 'state'])
export class Notification {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  campaignId!: string | null;

  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  inviteId!: string | null;

  @Column({ type: 'varchar', length: 24 })
  kind!: NotificationKind;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 160 })
  idempotencyKey!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: NotificationState;

  @Column({ type: 'varchar', length: 320 })
  recipient!: string;

  @Index('IDX_notifications_providerMessageId')
  @Column({ type: 'varchar', length: 100, nullable: true })
  providerMessageId!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  error!: string | null;

  @Column({ type: 'int', nullable: true })
  errorCode!: number | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ ...instant })
  createdAt!: Date;

  /**
   * Shared by the claims sent in one provider call, and carried to the provider as metadata,
   * so a crash's pending claims are settled with one search per batch. Null on claims made
   * before it existed (settled one by one).
   */
  @Column({ type: 'varchar', length: 36, nullable: true })
  sendBatch!: string | null;

  @Column({ ...instant, nullable: true })
  sentAt!: Date | null;
}
