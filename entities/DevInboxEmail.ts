import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { instant } from '../db/columns';

/** EMAIL_PROVIDER=outbox: what would have been sent, kept where a developer can read it. */
@Entity('outbox_emails')
export class DevInboxEmail {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 36, nullable: true })
  accountId!: string | null;

  @Column({ type: 'varchar', length: 400 })
  fromAddress!: string;

  @Column({ type: 'varchar', length: 320 })
  toAddress!: string;

  @Column({ type: 'varchar', length: 300 })
  subject!: string;

  @Column({ type: 'text' })
  html!: string;

  @Column({ type: 'text' })
  textBody!: string;

  /** JSON object. */
  @Column({ type: 'text' })
  metadata!: string;

  /** JSON array of {name, contentType, content(base64)}. */
  @Column({ type: 'text', nullable: true })
  attachments!: string | null;

  @Column({ type: 'varchar', length: 40 })
  messageStream!: string;

  @Column({ ...instant })
  createdAt!: Date;
}
