import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

/**
 * Sending slots an account's limiter handed out (sending/limits.ts): held from `grantedAt`
 * until the sender says it is done, then counted at `completedAt` for as long as each window
 * lasts. Pruned once older than every window.
 */
@Entity('send_grants')
@Index('IDX_send_grants_account_completedAt', ['accountId', 'completedAt'])
export class SendGrant {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  /** Null for an email of the account outside any campaign. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  campaignId!: string | null;

  /** Slots held: what was granted, then what was used once completed. */
  @Column({ type: 'int' })
  slots!: number;

  @Column({ ...instant })
  grantedAt!: Date;

  /** Null while the sender holds the slots. */
  @Column({ ...instant, nullable: true })
  completedAt!: Date | null;

  /** Set when the limiter gave up waiting for the sender and completed the grant itself. */
  @Column({ ...instant, nullable: true })
  reapedAt!: Date | null;
}
