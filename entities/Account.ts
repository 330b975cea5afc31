import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber, instant, jsonText } from '../db/columns';
import type { SendWindow } from '../domain/send-window';
import type { SendLimit } from '../domain/send-limit';
import type { DeliverabilityGuards } from '../domain/deliverability-guards';

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

  /**
   * The account's own email provider token (today a Postmark server token), sealed at rest
   * (security/secrets.ts). The column keeps the name it was created with.
   */
  @Column({ name: 'postmarkServerTokenEnc', type: 'text', nullable: true })
  emailTokenSealed!: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  fromEmail!: string | null;

  /** The Postmark message stream campaign email goes on (a broadcast stream); null = `broadcast`. */
  @Column({ type: 'varchar', length: 50, nullable: true })
  messageStream!: string | null;

  /** How long after a campaign's expiry extending it still revives it (decimals allowed). */
  @Column({ type: 'double', default: 0 })
  expiryGraceDays!: number;

  /** Sliding windows every email of the account counts against (sending/limits.ts); null = none. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  sendLimits!: SendLimit[] | null;

  /** The hours campaign email may go out in (domain/send-window.ts); null = any time. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  sendWindow!: SendWindow | null;

  /** When a campaign pauses itself for complaints or bounces (domain/deliverability-guards.ts); null = defaults. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  deliverabilityGuards!: DeliverabilityGuards | null;

  @Column({ ...instant })
  createdAt!: Date;
}
