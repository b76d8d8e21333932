import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from '../errors/caregraph-error.js';
import { DEV_TOKEN_AUDIENCE, DEV_TOKEN_ISSUER, type DevSigningKey } from './dev-signing-key.js';

/** The verified claims CareGraph uses. */
export interface VerifiedToken {
  subject: string;
  /** Tenant claim (`tid`), present on dev tokens. */
  tenantId?: string;
  /** Purpose of use claim, when the identity provider sets one. */
  purposeOfUse?: string;
  /** true when this is a locally signed dev token (its `sub` is a CareGraph user id). */
  isDevToken: boolean;
  expiresAt?: Date;
}

/** Verifies bearer tokens; throws UnauthenticatedError on any failure. */
export interface TokenVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

function toVerified(payload: JWTPayload, isDevToken: boolean): VerifiedToken {
  if (!payload.sub) throw UnauthenticatedError.invalidToken();
  return {
    subject: payload.sub,
    tenantId: typeof payload.tid === 'string' ? payload.tid : undefined,
    purposeOfUse: typeof payload.purpose_of_use === 'string' ? payload.purpose_of_use : undefined,
    isDevToken,
    expiresAt: payload.exp ? new Date(payload.exp * 1000) : undefined,
  };
}

/** Verifies tokens signed by the local dev key (development and test only). */
export function devTokenVerifier(key: DevSigningKey): TokenVerifier {
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key.publicKey, {
          issuer: DEV_TOKEN_ISSUER,
          audience: DEV_TOKEN_AUDIENCE,
        });
        return toVerified(payload, true);
      } catch {
        throw UnauthenticatedError.invalidToken();
      }
    },
  };
}

/** Verifies OIDC tokens against the identity provider's JWKS, issuer and audience. */
export function jwksTokenVerifier(options: {
  jwksUrl: string;
  issuer: string;
  audience: string;
}): TokenVerifier {
  const keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(options.jwksUrl));
  return {
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: options.issuer,
          audience: options.audience,
        });
        return toVerified(payload, false);
      } catch {
        throw UnauthenticatedError.invalidToken();
      }
    },
  };
}

/** Tries each verifier in turn (e.g. the OIDC provider, then the dev key in development). */
export function firstMatchingVerifier(verifiers: TokenVerifier[]): TokenVerifier {
  return {
    async verify(token) {
      for (const verifier of verifiers) {
        try {
          return await verifier.verify(token);
        } catch {
          // try the next one
        }
      }
      throw UnauthenticatedError.invalidToken();
    },
  };
}
