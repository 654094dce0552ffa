import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { longTextColumns } from './mirror-column.js';

/** An upstream record the mirror could not key (no usable `id`): kept with the reason, never dropped. */
@Entity({ name: 'sync_rejects' })
@Index(['resource', 'receivedAt'])
export class SyncReject {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  resource!: string;

  @Column({ type: 'int', nullable: true })
  runId!: number | null;

  @Column({ type: 'varchar', length: 255 })
  reason!: string;

  // A rejected record can be as large as any other (70 KB details): MEDIUMTEXT on MySQL.
  @Column({ type: 'text' })
  payload!: string;

  @Column({ type: 'datetime' })
  receivedAt!: Date;
}

longTextColumns.add('SyncReject.payload');
