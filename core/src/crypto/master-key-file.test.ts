import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfig } from '../config/load-config.js';
import { ErrorCode } from '../errors/caregraph-error.js';
import { createKeyProvider, readMasterKeyFile, writeMasterKeyFile } from './master-key-file.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cg-master-key-'));
}

describe('master key', () => {
  it('is generated in the data directory in development (mode 0600) and reused', async () => {
    const dataDir = await tempDir();
    const config = validateConfig({ dataDir });
    const first = await createKeyProvider(config);
    const file = join(dataDir, 'master-key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await createKeyProvider(config)).masterKeyId).toBe(first.masterKeyId);
  });

  it('is ephemeral in memory mode and read from CAREGRAPH_MASTER_KEY_FILE when set', async () => {
    const a = await createKeyProvider(validateConfig({ memory: true }));
    const b = await createKeyProvider(validateConfig({ memory: true }));
    expect(a.masterKeyId).not.toBe(b.masterKeyId);
    const file = join(await tempDir(), 'key');
    await writeMasterKeyFile(file);
    const fromFile = await createKeyProvider(validateConfig({ masterKeyFile: file, memory: true }));
    expect(fromFile.masterKeyId).toBe(
      (await createKeyProvider(validateConfig({ masterKeyFile: file }))).masterKeyId,
    );
    await expect(writeMasterKeyFile(file)).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('reports an unreadable or malformed key file by variable, without its content', async () => {
    const dir = await tempDir();
    await expect(readMasterKeyFile(join(dir, 'missing'))).rejects.toMatchObject({
      code: ErrorCode.MASTER_KEY_INVALID,
      message: expect.stringContaining('CAREGRAPH_MASTER_KEY_FILE'),
    });
    const bad = join(dir, 'bad');
    await writeFile(bad, 'correct horse battery staple');
    const error = await readMasterKeyFile(bad).catch((e: Error) => e);
    expect(error).toMatchObject({ code: ErrorCode.MASTER_KEY_INVALID });
    expect((error as Error).message).not.toContain('horse');
    const hex = join(dir, 'hex');
    await writeFile(hex, `${'ab'.repeat(32)}\n`);
    expect((await readMasterKeyFile(hex)).length).toBe(32);
    expect((await readFile(hex, 'utf8')).trim()).toHaveLength(64);
  });
});
