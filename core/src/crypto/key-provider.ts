import type { TenantKeyPurpose } from '@caregraph/schema';

/** What a wrapped key is bound to: a wrapped key copied to another slot fails to unwrap. */
export interface KeyWrapContext {
  tenantId: string;
  purpose: TenantKeyPurpose;
  version: number;
}

/**
 * Wraps and unwraps tenant keys with a master key that never leaves the provider: a local key
 * file now (`LocalKeyProvider`), a cloud KMS later (its `Encrypt`/`Decrypt` calls, with the
 * context as encryption context). Only wrapped keys are stored in the database.
 */
export interface KeyProvider {
  /** Stable id of the master key (a fingerprint or a KMS key id), stored with each wrapped key. */
  readonly masterKeyId: string;
  /** Encrypts a tenant key; returns provider-specific text to store. */
  wrapKey(key: Buffer, context: KeyWrapContext): Promise<string>;
  /** Decrypts what `wrapKey` returned; throws a MasterKeyError if it cannot. */
  unwrapKey(wrapped: string, context: KeyWrapContext): Promise<Buffer>;
}
