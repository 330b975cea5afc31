import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

/** Addresses that hard-bounced or complained: never emailed again from this account. */
@Entity('suppressions')
@Index(['accountId', 'email'], { unique: true })
export class Suppression {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 40 })
  reason!: string;

  @Column({ ...instant })
  createdAt!: Date;
}
