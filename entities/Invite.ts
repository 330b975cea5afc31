import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';
import type { Journey } from '../domain/link';

export const INVITE_STATUSES = ['unused', 'used'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

/** How far a recipient got; only ever moves forward (domain/link.ts). */
export type JourneyStage = Journey;

export const DELIVERY_STATUSES = [
  'held',
  'sending',
  'sent',
  'failed',
  'bounced',
  'complained',
  'suppressed',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One recipient's private link. The token is the link: unguessable, unique, indexed. */
@Entity('invites')
@Index(['campaignId', 'id'])
export class Invite {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 36 })
  campaignId!: string;

  /** Compared exactly: a binary collation on MySQL/MariaDB (TokenExact migration), and links.ts. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  token!: string;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  /** The recipient's phone number in E.164 (recipients/phone.ts), when given. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  phone?: string | null;

  /** The recipient's IANA time zone: the send window is read on their clock; null = the window's. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  timeZone!: string | null;

  @Column({ type: 'varchar', length: 8 })
  status!: InviteStatus;

  @Column({ type: 'varchar', length: 16 })
  journey!: JourneyStage;

  @Column({ ...instant, nullable: true })
  journeyAt!: Date | null;

  @Column({ ...instant, nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'double', nullable: true })
  reminderDaysBefore!: number | null;

  /** expiresAt − reminderDaysBefore: indexed, so the next due reminder is one query. */
  @Column({ ...instant, nullable: true })
  reminderAt!: Date | null;

  @Column({ ...instant, nullable: true })
  reminderSentAt!: Date | null;

  /** When the invitation email last went out. */
  @Column({ ...instant, nullable: true })
  sentAt!: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  deliveryStatus!: DeliveryStatus | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  deliveryError!: string | null;

  @Column({ ...instant, nullable: true })
  usedAt!: Date | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  orderRef!: string | null;

  /** Set when the invite's own expiry was processed (by the deadline sweep). */
  @Column({ ...instant, nullable: true })
  expiredAt!: Date | null;

  /** The version (SEQUENCE) of the campaign's event the recipient last received; null = none yet. */
  @Column({ type: 'int', nullable: true })
  calendarSequence!: number | null;

  /**
   * The UID of the event this invite's emails carry, when not the campaign's: a reset's
   * replacement gets its own, so cancelling the old invite's event leaves the new one alone.
   */
  @Column({ type: 'varchar', length: 200, nullable: true })
  calendarUid?: string | null;

  /** Reset & resend voids this invite and points at the one that replaced it. */
  @Column({ type: 'varchar', length: 36, nullable: true })
  replacedById!: string | null;

  @Column({ ...instant, nullable: true })
  voidedAt!: Date | null;

  @Column({ ...instant })
  createdAt!: Date;
}
