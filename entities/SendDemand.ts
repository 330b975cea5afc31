import { Column, Entity, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

export const SEND_PRIORITIES = ['normal', 'resend'] as const;
export type SendPriority = (typeof SEND_PRIORITIES)[number];

/**
 * Who is waiting on an account's sending limits, and for how much: the limiter's fair share
 * divides each window among the campaigns waiting, and keeps slots for waiting resends.
 * One row per requester and priority; deleted when its ask is met.
 */
@Entity('send_demand')
export class SendDemand {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  accountId!: string;

  /** The campaign's id, or '' for the account's emails outside any campaign. */
  @PrimaryColumn({ type: 'varchar', length: 36 })
  requester!: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  priority!: SendPriority;

  /** Slots asked for and not granted at the last ask. */
  @Column({ type: 'int' })
  unmet!: number;

  @Column({ ...instant })
  askedAt!: Date;

  /** The requester's retry time plus a grace: past it, a requester that never came back holds no share. */
  @Column({ ...instant })
  heldUntil!: Date;
}
