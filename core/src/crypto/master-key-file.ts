import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CareGraphConfig } from '../config/config-schema.js';
import { ConfigError, MasterKeyError } from '../errors/caregraph-error.js';
import { KEY_BYTES } from './aes-gcm.js';
import type { KeyProvider } from './key-provider.js';
import { LocalKeyProvider } from './local-key-provider.js';

/** Name of the development master key file inside the data directory. */
export const DEV_MASTER_KEY_FILE = 'master-key';

/** Reads a master key file: 32 bytes as base64 (what `writeMasterKeyFile` writes) or hex. */
export async function readMasterKeyFile(file: string): Promise<Buffer> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw MasterKeyError.unreadable(
      file,
      code === 'ENOENT' ? 'no such file' : `read failed (${code})`,
    );
  }
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (
    key.length !== KEY_BYTES ||
    (!/^[0-9a-f]{64}$/i.test(text) && key.toString('base64') !== text)
  )
    throw MasterKeyError.unreadable(file, `expected ${KEY_BYTES} bytes as base64 or hex`);
  return key;
}

/** Writes a new random master key (base64, mode 0600); refuses to overwrite an existing file. */
export async function writeMasterKeyFile(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  await chmod(file, 0o600);
}

/**
 * The key provider the configuration asks for: the key in `CAREGRAPH_MASTER_KEY_FILE`; without
 * one (development only), `<dataDir>/master-key`, created with mode 0600 on first use, or an
 * ephemeral key in memory mode. In production a missing key file is a configuration error.
 */
export async function createKeyProvider(config: CareGraphConfig): Promise<KeyProvider> {
  if (config.masterKeyFile)
    return new LocalKeyProvider(await readMasterKeyFile(config.masterKeyFile));
  if (config.nodeEnv === 'production')
    throw ConfigError.invalid([
      'CAREGRAPH_MASTER_KEY_FILE (config key "masterKeyFile"): expected the path of the master key file (required when NODE_ENV=production)',
    ]);
  if (config.memory) return new LocalKeyProvider(randomBytes(KEY_BYTES));
  const file = join(config.dataDir, DEV_MASTER_KEY_FILE);
  await writeMasterKeyFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error; // an existing key (or another process's) is used
  });
  return new LocalKeyProvider(await readMasterKeyFile(file));
}
