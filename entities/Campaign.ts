import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber, instant, jsonText } from '../db/columns';
import type { SendWindow } from '../domain/send-window';
import type { CampaignStatus, PausedReason, ResumablePhase, WaitReason } from '../domain/campaign';

@Entity('campaigns')
@Index(['accountId', 'status'])
export class Campaign {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  /** Written only by the campaign's workflow (through activities): the API never sets it. */
  @Column({ type: 'varchar', length: 16 })
  status!: CampaignStatus;

  @Column({ type: 'varchar', length: 32, nullable: true })
  pausedReason!: PausedReason | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  pausedFrom!: ResumablePhase | null;

  @Column({ ...instant, nullable: true })
  startAt!: Date | null;

  @Column({ ...instant, nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'int', nullable: true })
  batchSize!: number | null;

  @Column({ type: 'double' })
  batchGapMinutes!: number;

  @Column({ type: 'int' })
  costPerInviteCents!: number;

  @Column({ type: 'varchar', length: 300, nullable: true })
  emailSubject!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  emailFromName!: string | null;

  /** Pause the campaign (failure_rate) when more than this share of a batch fails for reasons other than bad addresses. */
  @Column({ type: 'int', default: 20 })
  maxFailurePercent!: number;

  /** JSON `{title, startsAt, durationMinutes, location}`: invitations then carry an iCalendar invite. */
  @Column({ type: 'text', nullable: true })
  event!: string | null;

  /** iCalendar SEQUENCE: bumped on every change to the event. */
  @Column({ type: 'int', default: 0 })
  eventSequence!: number;

  /** Cents held against the account for this campaign's unsent invites. */
  @Column({ type: 'bigint', transformer: bigintAsNumber, default: 0 })
  reservedCents!: number;

  /** Expired within its account's grace: extending the expiry revives it until this instant. */
  @Column({ ...instant, nullable: true })
  extendableUntil!: Date | null;

  /**
   * The campaign's one hold (activities/send/pipeline.ts): what was due by `waitingSince`
   * goes no earlier than `waitingUntil` — the account's sending limit or the provider's, or
   * the send window. Written by whichever send was held; the API shows it, and the invite
   * deadlines count held reminders at `waitingUntil`. A hold that has passed means nothing.
   */
  @Column({ type: 'varchar', length: 16, nullable: true })
  waitingReason!: WaitReason | null;

  @Column({ ...instant, nullable: true })
  waitingUntil!: Date | null;

  @Column({ ...instant, nullable: true })
  waitingSince!: Date | null;

  /** This campaign's own send window; null = the account's (sending/account-policy.ts windowFor). */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  sendWindow!: SendWindow | null;

  /** The customer's own page: a ready link answers 303 there, with `herald_token` (api/routes/pages.ts). */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  landingUrl!: string | null;

  /** The link page first asks for the invite's email address and opens only on a match. */
  @Column({ type: 'boolean', default: false })
  requireEmailMatch!: boolean;

  /**
   * The invite defaults: an invite added without its own expiry (`never`, `1d`, `7d`, `30d` or
   * an ISO instant) or reminder gets these (api/usecases/invite-intake.ts); null = none.
   */
  @Column({ type: 'varchar', length: 40, nullable: true })
  inviteExpiresIn!: string | null;

  @Column({ type: 'double', nullable: true })
  inviteReminderDaysBefore!: number | null;

  /** Ask the provider to track opens (Postmark `TrackOpens`) of this campaign's emails: off unless asked. */
  @Column({ type: 'boolean', default: false })
  trackOpens!: boolean;

  /** Ask the provider to track link clicks (Postmark `TrackLinks`): off unless asked. */
  @Column({ type: 'boolean', default: false })
  trackLinks!: boolean;

  @Column({ ...instant })
  createdAt!: Date;

  @Column({ ...instant })
  updatedAt!: Date;
}
