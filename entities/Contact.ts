import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

@Entity('contacts')
@Index(['accountId', 'email'], { unique: true })
export class Contact {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 36 })
  accountId!: string;

  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  @Column({ ...instant })
  createdAt!: Date;
}
