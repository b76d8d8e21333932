import { SignJWT } from 'jose';
import {
  DEV_TOKEN_ALGORITHM,
  DEV_TOKEN_AUDIENCE,
  DEV_TOKEN_ISSUER,
  type DevSigningKey,
} from './dev-signing-key.js';

/** Claims of a CareGraph dev token. `sub` is the user id, `tid` the tenant id. */
export interface DevTokenSubject {
  userId: string;
  tenantId: string;
}

/** Signs a dev token for a user; `ttl` like `30m`, `8h`, `7d`. */
export async function mintDevToken(
  key: DevSigningKey,
  subject: DevTokenSubject,
  ttl: string,
): Promise<string> {
  return new SignJWT({ tid: subject.tenantId })
    .setProtectedHeader({ alg: DEV_TOKEN_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setSubject(subject.userId)
    .setIssuer(DEV_TOKEN_ISSUER)
    .setAudience(DEV_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(key.privateKey);
}
