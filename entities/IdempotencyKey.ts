import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

/** A POST answered once: a repeat with the same key gets the same answer, and does nothing. */
@Entity('idempotency_keys')
@Index(['accountId', 'idempotencyKey'], { unique: true })
export class IdempotencyKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 200 })
  idempotencyKey!: string;

  /** Keyed digest (SECRET_KEY) of method, path and body: the same key with another request is a conflict. */
  @Column({ type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ type: 'int' })
  statusCode!: number;

  @Column({ type: 'text' })
  responseBody!: string;

  /** Answers older than a day are expired and swept (api/idempotency.ts `KEPT_FOR_MS`). */
  @Index('IDX_idempotency_keys_created')
  @Column({ ...instant })
  createdAt!: Date;
}
