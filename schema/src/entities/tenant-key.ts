import { type Opt } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** What a tenant key is for. */
export type TenantKeyPurpose = 'data' | 'index';

/**
 * Lifecycle of a tenant key version: `active` encrypts new values; `decrypt_only` is a previous
 * data key still needed while a rotation re-encrypts rows; `retired` is destroyed (no key
 * material is kept) once no row uses it.
 */
export type TenantKeyStatus = 'active' | 'decrypt_only' | 'retired';

/**
 * One version of a tenant's data key (AES-256-GCM field encryption) or blind-index key
 * (HMAC-SHA256), wrapped by the master key of a key provider. The unwrapped keys live only in
 * the hub's memory. Managed by core (`core/src/crypto`); not exposed in GraphQL.
 */
@Entity()
export class TenantKey {
  @PrimaryKey({ type: 'uuid' })
  tenantId!: string;

  @PrimaryKey({ type: 'string', length: 16 })
  purpose!: TenantKeyPurpose;

  @PrimaryKey({ type: 'integer' })
  version!: number;

  @Property({ type: 'string', length: 16 })
  status!: TenantKeyStatus;

  /** The key wrapped by the master key (provider-specific text); null once retired. */
  @Property({ type: 'text', nullable: true })
  wrappedKey?: string | null;

  /** Id of the master key that wrapped it (a fingerprint, never key material). */
  @Property({ type: 'string', length: 128 })
  masterKeyId!: string;

  @Property({ type: 'datetime' })
  createdAt: Opt<Date> = new Date();

  @Property({ type: 'datetime', nullable: true })
  retiredAt?: Date | null;
}
