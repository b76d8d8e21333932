import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/sql';
import type { Actor } from '../auth/actor.js';
import { resolveActor } from '../auth/resolve-actor.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { keyringOf } from '../crypto/keyring-registry.js';
import { forkForTenant } from '../db/create-orm.js';
import { bindRequestTenant } from '../db/tenant-scope.js';
import { BadUserInputError, UnauthenticatedError } from '../errors/caregraph-error.js';
import type { CareEvents } from '../events/care-events.js';
import type { Logger } from '../logging/logger.js';
import { Loaders } from './loaders.js';
import type { PluginPatientDataHandlers } from '../plugins/plugin-patient-data.js';
import { PatientAccess } from '../security/patient-access.js';
import {
  DEFAULT_PATIENT_RIGHTS,
  PURPOSES_OF_USE,
  type AccessPolicySettings,
  type PatientRightsSettings,
  type PurposeOfUse,
  type RequestContext,
} from './request-context.js';

/** What a request brings that matters for its context. */
export interface RequestCredentials {
  /** Value of the Authorization header (or graphql-ws connection param). */
  authorization?: string;
  purposeOfUse?: string;
  /** Validated by the HTTP layer (request scope), or absent for a fresh one. */
  requestId?: string;
  clientAddress?: string;
}

function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw UnauthenticatedError.invalidToken();
  return match[1];
}

function parsePurpose(value: string | undefined): PurposeOfUse {
  if (!value) return 'TREAT';
  const purpose = value.trim().toUpperCase();
  if ((PURPOSES_OF_USE as readonly string[]).includes(purpose)) return purpose as PurposeOfUse;
  throw BadUserInputError.field(
    ['X-Purpose-Of-Use'],
    `must be one of ${PURPOSES_OF_USE.join(', ')}`,
  );
}

/** Builds request contexts: verifies the token, loads the actor, forks a tenant EntityManager. */
export class ContextFactory {
  constructor(
    private readonly orm: MikroORM,
    private readonly verifier: TokenVerifier,
    private readonly events: CareEvents,
    private readonly logger: Logger,
    readonly policy: AccessPolicySettings,
    private readonly patientRights: PatientRightsSettings = DEFAULT_PATIENT_RIGHTS,
    private readonly patientData?: PluginPatientDataHandlers,
  ) {}

  /** Verifies credentials; throws UNAUTHENTICATED for a bad token (absent token = anonymous). */
  async authenticate(
    authorization: string | undefined,
  ): Promise<{ actor?: Actor; tokenPurpose?: string; expiresAt?: Date }> {
    const token = bearerToken(authorization);
    if (!token) return {};
    const verified = await this.verifier.verify(token);
    const keyring = keyringOf(this.orm.em);
    const actor = await resolveActor(this.orm, verified, (tenantId, version) =>
      keyring?.noteActiveVersion(tenantId, version),
    );
    // Picks up a key rotation started by another process (the user query read the version).
    if (actor) await keyring?.refreshIfStale(actor.tenantId);
    return {
      actor,
      tokenPurpose: verified.purposeOfUse,
      expiresAt: verified.expiresAt,
    };
  }

  /** Builds the context of one operation. */
  async create(credentials: RequestCredentials): Promise<RequestContext> {
    const requestId = credentials.requestId ?? randomUUID();
    const { actor, tokenPurpose } = await this.authenticate(credentials.authorization);
    if (actor) bindRequestTenant(actor.tenantId);
    return this.forActor(actor, {
      requestId,
      purposeOfUse: credentials.purposeOfUse ?? tokenPurpose,
      clientAddress: credentials.clientAddress,
    });
  }

  /** Builds a context for an already authenticated actor (subscriptions, jobs, tests). */
  forActor(
    actor: Actor | undefined,
    options: { requestId?: string; purposeOfUse?: string; clientAddress?: string } = {},
  ): RequestContext {
    const requestId = options.requestId ?? randomUUID();
    const logger = this.logger.child({
      requestId,
      userId: actor?.userId,
      tenantId: actor?.tenantId,
    });
    const purposeOfUse = parsePurpose(options.purposeOfUse);
    const base = {
      requestId,
      actor,
      tenantId: actor?.tenantId,
      purposeOfUse,
      clientAddress: options.clientAddress,
      logger,
      events: this.events,
      policy: this.policy,
      patientRights: this.patientRights,
      patientData: this.patientData,
    };
    if (!actor) return base;
    const em = forkForTenant(this.orm, actor.tenantId);
    return {
      ...base,
      em,
      loaders: new Loaders(em, actor.tenantId),
      access: new PatientAccess(em, actor, purposeOfUse),
    };
  }
}
