import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A credential for the GraphQL API, managed with `mirrorgraph keys`. Only a SHA-256 hash of the
 * key is stored (see auth/api-key-format.ts); the prefix, a random public part of the key, finds
 * the row. A revoked key keeps its row and its name, so that logs naming it stay unambiguous.
 */
@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 16 })
  keyPrefix!: string;

  /** Hex SHA-256 of the whole key. */
  @Column({ type: 'varchar', length: 64 })
  keyHash!: string;

  /** Scope names, as given at creation (checked against SCOPES then). */
  @Column({ type: 'json' })
  scopes!: string[];

  @Column({ type: 'datetime' })
  createdAt!: Date;

  /** Updated at most once a minute per key (see auth/api-key-store.ts). */
  @Column({ type: 'datetime', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'datetime', nullable: true })
  revokedAt!: Date | null;
}
