import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A key and certificate as PEM files (for configs) and their contents (for servers). */
export interface TestKeyPair {
  keyFile: string;
  certFile: string;
  key: Buffer;
  cert: Buffer;
}

/** A certificate authority of a test and the certificates it issued. */
export interface TestCa extends TestKeyPair {
  /** A certificate for `cn`, valid for `localhost` and `127.0.0.1`, signed by this CA. */
  issue(name: string, cn: string): TestKeyPair;
}

const P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const ONE_DAY = ['-days', '1'];

/**
 * Keys and certificates made in a temporary folder with the openssl CLI, for TLS tests: nothing
 * is committed, and `dispose()` removes them.
 */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'caregraph-hl7-pki-'));

  /** A self-signed CA certificate (P-256, one day). */
  ca(name: string): TestCa {
    const pair = this.make(name, [
      '-x509',
      '-subj',
      `/CN=${name} test CA`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    return {
      ...pair,
      issue: (leaf, cn) =>
        this.make(leaf, [
          '-x509',
          '-CA',
          pair.certFile,
          '-CAkey',
          pair.keyFile,
          '-subj',
          `/CN=${cn}`,
          '-addext',
          'basicConstraints=critical,CA:FALSE',
          '-addext',
          'subjectAltName=DNS:localhost,IP:127.0.0.1',
          '-addext',
          'extendedKeyUsage=serverAuth,clientAuth',
        ]),
    };
  }

  /** A self-signed certificate for `cn`, valid for `localhost` and `127.0.0.1` (P-256, one day). */
  selfSigned(name: string, cn: string): TestKeyPair {
    return this.make(name, [
      '-x509',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private make(name: string, args: string[]): TestKeyPair {
    const keyFile = join(this.dir, `${name}.key`);
    const certFile = join(this.dir, `${name}.crt`);
    execFileSync(
      'openssl',
      ['req', ...P256, ...ONE_DAY, ...args, '-keyout', keyFile, '-out', certFile],
      {
        stdio: 'ignore',
      },
    );
    return { keyFile, certFile, key: readFileSync(keyFile), cert: readFileSync(certFile) };
  }
}
