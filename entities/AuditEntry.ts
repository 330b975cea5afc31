import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

/** Append-only: every status change and every refused command, with who and why. */
@Entity('audit_entries')
@Index(['campaignId', 'id'])
export class AuditEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 36, nullable: true })
  campaignId!: string | null;

  /** Makes a retried write a no-op: the workflow names each entry it asks for. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 120 })
  dedupeKey!: string;

  @Column({ ...instant })
  at!: Date;

  @Column({ type: 'varchar', length: 64 })
  actor!: string;

  @Column({ type: 'varchar', length: 40 })
  action!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  fromStatus!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  toStatus!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true })
  details!: string | null;
}
