import { DEFAULT_MLLP_HOST, DEFAULT_MLLP_PORT } from './mllp/index.js';

/** A listener setting given as text (an environment variable) that cannot be read. */
export class Hl7ListenAddressError extends Error {
  readonly code = 'CG_ERR_HL7_LISTEN_ADDRESS';
  constructor(message: string) {
    super(message);
    this.name = 'Hl7ListenAddressError';
  }
}

const OFF = /^(off|false|no|none)$/i;
const ADDRESS = /^(?:(\[[0-9a-f:.]+\]|[^\s:[\]]+):)?(\d{1,5})$/i;

/**
 * Reads the MLLP listener from text, for a config file that takes it from an environment
 * variable (the repository's demo config reads `CAREGRAPH_HL7_LISTEN`): `off` (or `false`, `no`,
 * `none`) for no listener, `2575` (a port on 127.0.0.1; 0 picks a free one), `0.0.0.0:2575` or
 * `[::1]:2575`. Empty or undefined: 127.0.0.1:2575. The result is the adapter's `listen`.
 * `source` names the setting in the error (`CG_ERR_HL7_LISTEN_ADDRESS`).
 */
export function parseListenAddress(
  text: string | undefined,
  source = 'the listen address',
): { host: string; port: number } | false {
  const value = text?.trim() ?? '';
  if (!value) return { host: DEFAULT_MLLP_HOST, port: DEFAULT_MLLP_PORT };
  if (OFF.test(value)) return false;
  const match = ADDRESS.exec(value);
  const port = Number(match?.[2]);
  if (!match || port > 65535)
    throw new Hl7ListenAddressError(
      `${source} must be "off", a port (2575) or host:port (0.0.0.0:2575), got "${value}".`,
    );
  const host = match[1]?.replace(/^\[(.*)\]$/, '$1') ?? DEFAULT_MLLP_HOST;
  return { host, port };
}
