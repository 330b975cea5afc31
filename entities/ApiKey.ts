import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

export const API_KEY_ROLES = ['admin', 'support'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** Only a SHA-256 of the key is kept: keys carry 256 random bits, so a slow hash adds nothing. */
@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: ApiKeyRole;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  keyHash!: string;

  /** The first characters of the key, so a person can tell keys apart. */
  @Column({ type: 'varchar', length: 12 })
  prefix!: string;

  /** A label its owner chose ("CI", "help desk"). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  name!: string | null;

  @Column({ ...instant })
  createdAt!: Date;

  /** Written at most about once a minute per key (api/auth.ts), not on every request. */
  @Column({ ...instant, nullable: true })
  lastUsedAt!: Date | null;

  @Column({ ...instant, nullable: true })
  revokedAt!: Date | null;
}
