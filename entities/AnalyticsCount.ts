import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';
import { bigintAsNumber } from '../db/columns';

/**
 * One counter of a campaign's analytics for one hour (UTC): kept as events happen
 * (db/analytics-counts.ts), so the analytics read a few hundred rows, never the invites.
 * `metric`: a journey stage people reached (`sent` … `completed`), a machine's touch
 * (`machine_opened|clicked|viewed`), `unsubscribed`, or a completion time bucket
 * (`completed_in:<bucket>`).
 */
@Entity('analytics_counts')
@Index(['accountId', 'hour'])
export class AnalyticsCount {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  campaignId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  metric!: string;

  @PrimaryColumn({ ...instant })
  hour!: Date;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  n!: number;
}
