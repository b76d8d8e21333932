import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type CryptoKey } from 'jose';

/** Issuer and audience of dev tokens. Production tokens come from the configured OIDC issuer. */
export const DEV_TOKEN_ISSUER = 'urn:caregraph:dev';
export const DEV_TOKEN_AUDIENCE = 'caregraph';
export const DEV_TOKEN_ALGORITHM = 'ES256';

/** The local key pair that signs and verifies dev tokens. */
export interface DevSigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  kid: string;
}

function keyFile(dataDir: string): string {
  return join(dataDir, 'dev-signing-key.json');
}

async function generate(): Promise<{ key: DevSigningKey; jwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(DEV_TOKEN_ALGORITHM, {
    extractable: true,
  });
  const jwk = await exportJWK(privateKey);
  const kid = `dev-${Date.now().toString(36)}`;
  return { key: { privateKey, publicKey, kid }, jwk: { ...jwk, kid, alg: DEV_TOKEN_ALGORITHM } };
}

async function fromJwk(jwk: JWK): Promise<DevSigningKey> {
  const { d: _d, ...publicJwk } = jwk;
  return {
    privateKey: (await importJWK(jwk, DEV_TOKEN_ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, DEV_TOKEN_ALGORITHM)) as CryptoKey,
    kid: jwk.kid ?? 'dev',
  };
}

/**
 * Loads the dev signing key from `<dataDir>/dev-signing-key.json`, creating it (mode 0600) on
 * first use. With no data dir (in-memory mode) the key lives only as long as the process.
 */
export async function loadOrCreateDevSigningKey(
  dataDir: string | undefined,
): Promise<DevSigningKey> {
  if (!dataDir) return (await generate()).key;
  const file = keyFile(dataDir);
  try {
    return await fromJwk(JSON.parse(await readFile(file, 'utf8')) as JWK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { jwk } = await generate();
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(jwk), { mode: 0o600, flag: 'wx' }).catch(
    async (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return; // another process created it first: use theirs
      throw error;
    },
  );
  await chmod(file, 0o600);
  return fromJwk(JSON.parse(await readFile(file, 'utf8')) as JWK);
}
