import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

/**
 * Why an address is suppressed. An unsubscribe (Postmark's SubscriptionChange) can be lifted
 * by a reactivation; a hard bounce or a spam complaint is kept for good.
 */
export const SUPPRESSION_REASONS = ['hard_bounce', 'spam_complaint', 'unsubscribed'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** Where an unsubscribe came from: the mail client's one-click POST, the page's button, the provider. */
export const SUPPRESSION_SOURCES = ['one-click', 'page', 'provider'] as const;
export type SuppressionSource = (typeof SUPPRESSION_SOURCES)[number];

/** Addresses that hard-bounced, complained or unsubscribed: never emailed again from this account. */
@Entity('suppressions')
@Index(['accountId', 'email'], { unique: true })
export class Suppression {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 40 })
  reason!: SuppressionReason;

  /** Null for a bounce or complaint, and for rows older than the column. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  source!: SuppressionSource | null;

  @Column({ ...instant })
  createdAt!: Date;
}
