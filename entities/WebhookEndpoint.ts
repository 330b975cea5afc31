import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant, jsonText } from '../db/columns';

export const WEBHOOK_ENDPOINT_STATES = ['enabled', 'disabled'] as const;
export type WebhookEndpointState = (typeof WEBHOOK_ENDPOINT_STATES)[number];
export const WEBHOOK_DISABLED_REASONS = ['failing', 'manual'] as const;
export type WebhookDisabledReason = (typeof WEBHOOK_DISABLED_REASONS)[number];

/**
 * A customer's receiver of events (SPEC "Outgoing webhooks"). Its workflow
 * (`webhook-endpoint-<id>`, workflows/webhooks/) delivers the account's events to it in order;
 * the columns below are that delivery's durable state, so a restarted worker picks up where
 * the last one stopped.
 */
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  /** The event types it receives; null = every type, including ones added later. */
  @Column({ type: 'text', nullable: true, transformer: jsonText })
  events!: string[] | null;

  /** Requests in flight to it at once; null: the server's WEBHOOK_CONCURRENCY. */
  @Column({ type: 'int', nullable: true })
  concurrency!: number | null;

  /** The signing secret (`whsec_…`), sealed like a provider token (security/secrets.ts). */
  @Column({ type: 'text' })
  secretSealed!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: WebhookEndpointState;

  /**
   * Every event of the account up to this id has a delivery row for this endpoint (or is of a
   * type it does not take): fan-out reads only after it. It trails the newest event by a
   * settling margin, so an event written by a transaction that commits late is still found.
   */
  @Column({ type: 'varchar', length: 36 })
  cursor!: string;

  /** Failed attempts since the last success: the exponent of the endpoint's backoff. */
  @Column({ type: 'int', default: 0 })
  failures!: number;

  /** The first failure since the last success; failing for the whole retry period disables it. */
  @Column({ ...instant, nullable: true })
  failingSince!: Date | null;

  /** While backing off: nothing is sent before this. */
  @Column({ ...instant, nullable: true })
  retryAt!: Date | null;

  @Column({ ...instant, nullable: true })
  disabledAt!: Date | null;

  /** Why it is disabled: `failing` for the whole retry period (the owner is told), or `manual` (by a person). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  disabledReason!: WebhookDisabledReason | null;

  @Column({ ...instant })
  createdAt!: Date;
}
