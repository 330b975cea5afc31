import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber, instant } from '../db/columns';

export const LEDGER_KINDS = ['fund', 'reserve', 'charge', 'release'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * Every movement of money. The unique idempotency key makes a retried activity or a
 * replayed request write nothing the second time.
 */
@Entity('ledger_entries')
@Index(['accountId', 'campaignId'])
export class LedgerEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  campaignId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  kind!: LedgerKind;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amountCents!: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 160 })
  idempotencyKey!: string;

  @Column({ ...instant })
  createdAt!: Date;
}
