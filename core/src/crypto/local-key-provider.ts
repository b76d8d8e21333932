import { createHmac } from 'node:crypto';
import { MasterKeyError } from '../errors/caregraph-error.js';
import { KEY_BYTES, openAesGcm, sealAesGcm } from './aes-gcm.js';
import type { KeyProvider, KeyWrapContext } from './key-provider.js';

const WRAP_PREFIX = 'lk1:';

function wrapAad(context: KeyWrapContext): Buffer {
  return Buffer.from(
    ['caregraph-key-wrap-v1', context.tenantId, context.purpose, String(context.version)].join(
      '\0',
    ),
    'utf8',
  );
}

/**
 * A key provider whose master key is 32 bytes held in this process (read from
 * `CAREGRAPH_MASTER_KEY_FILE`). Wraps with AES-256-GCM, AAD = tenant, purpose and version;
 * stored as `lk1:<base64 iv | ciphertext | tag>`.
 */
export class LocalKeyProvider implements KeyProvider {
  readonly masterKeyId: string;
  readonly #masterKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== KEY_BYTES)
      throw new RangeError(`a master key has ${KEY_BYTES} bytes, not ${masterKey.length}`);
    this.#masterKey = Buffer.from(masterKey);
    // A fingerprint that identifies the key without revealing it.
    const fingerprint = createHmac('sha256', this.#masterKey)
      .update('caregraph master key id')
      .digest('hex');
    this.masterKeyId = `local:${fingerprint.slice(0, 16)}`;
  }

  async wrapKey(key: Buffer, context: KeyWrapContext): Promise<string> {
    return WRAP_PREFIX + sealAesGcm(this.#masterKey, key, wrapAad(context)).toString('base64');
  }

  async unwrapKey(wrapped: string, context: KeyWrapContext): Promise<Buffer> {
    const sealed = wrapped.startsWith(WRAP_PREFIX)
      ? Buffer.from(wrapped.slice(WRAP_PREFIX.length), 'base64')
      : undefined;
    const key = sealed && openAesGcm(this.#masterKey, sealed, wrapAad(context));
    if (!key || key.length !== KEY_BYTES) throw MasterKeyError.cannotUnwrap(this.masterKeyId);
    return key;
  }
}
