import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber, instant } from '../db/columns';

@Entity('accounts')
export class Account {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 320 })
  ownerEmail!: string;

  /** Money held by the account, in cents. Reservations are held against it. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  balanceCents!: number;

  /** Sum of open reservations, kept beside the ledger so availability is one conditional UPDATE. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  reservedCents!: number;

  /** The account's own Postmark server token, encrypted at rest (see security/secrets.ts). */
  @Column({ type: 'text', nullable: true })
  postmarkServerTokenEnc!: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  fromEmail!: string | null;

  /** How long after a campaign's expiry extending it still revives it (decimals allowed). */
  @Column({ type: 'double', default: 0 })
  expiryGraceDays!: number;

  @Column({ ...instant })
  createdAt!: Date;
}
