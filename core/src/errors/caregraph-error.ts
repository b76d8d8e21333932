import { PluginErrorCode } from '@caregraph/plugin-sdk';

/** Stable codes carried in GraphQL `extensions.code` and in logs. Documented in core/README.md. */
export const ErrorCode = {
  ...PluginErrorCode,
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  RATE_LIMITED: 'RATE_LIMITED',
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_IN_LIST: 'PERSISTED_QUERY_NOT_IN_LIST',
  CONFIG_INVALID: 'CG_ERR_CONFIG_INVALID',
  DATABASE_LOCKED: 'CG_ERR_DATABASE_LOCKED',
  DATABASE_ROLE_BYPASSES_RLS: 'CG_ERR_DATABASE_ROLE_BYPASSES_RLS',
  DECRYPT_FAILED: 'CG_ERR_DECRYPT_FAILED',
  KEY_UNAVAILABLE: 'CG_ERR_KEY_UNAVAILABLE',
  MASTER_KEY_INVALID: 'CG_ERR_MASTER_KEY_INVALID',
  RESYNC_REQUIRED: 'RESYNC_REQUIRED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One invalid input value: where it is (`["input", "birthDate"]`) and what is wrong. */
export interface InvalidField {
  path: readonly (string | number)[];
  message: string;
}

/**
 * Base of every error CareGraph raises on purpose. `code` is stable; `message` is safe to show
 * to the caller (it never contains PHI); `details` is extra structured data for clients.
 */
export class CareGraphError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The caller is not signed in, or the token is invalid or expired. */
export class UnauthenticatedError extends CareGraphError {
  static missingToken(): UnauthenticatedError {
    return new UnauthenticatedError(
      ErrorCode.UNAUTHENTICATED,
      'Authentication required: send a bearer token.',
      { reason: 'missing-token' },
    );
  }

  static invalidToken(): UnauthenticatedError {
    return new UnauthenticatedError(
      ErrorCode.UNAUTHENTICATED,
      'The bearer token is invalid or has expired.',
      { reason: 'invalid-token' },
    );
  }

  static unknownUser(): UnauthenticatedError {
    return new UnauthenticatedError(
      ErrorCode.UNAUTHENTICATED,
      'The token does not belong to an active user.',
      { reason: 'unknown-user' },
    );
  }
}

/** The caller is signed in but may not do this. */
export class ForbiddenError extends CareGraphError {
  static notAllowed(): ForbiddenError {
    return new ForbiddenError(ErrorCode.FORBIDDEN, 'You are not allowed to do this.');
  }
}

/** The input is invalid; `details.invalidFields` lists each problem with its path. */
export class BadUserInputError extends CareGraphError {
  static invalid(fields: InvalidField[]): BadUserInputError {
    const summary = fields.map((f) => `${f.path.join('.')}: ${f.message}`).join('; ');
    return new BadUserInputError(ErrorCode.BAD_USER_INPUT, `Invalid input: ${summary}`, {
      invalidFields: fields,
    });
  }

  static field(path: readonly (string | number)[], message: string): BadUserInputError {
    return BadUserInputError.invalid([{ path, message }]);
  }
}

/** A record that the caller named does not exist (or is not visible to them). */
export class NotFoundError extends CareGraphError {
  static record(type: string, id: string): NotFoundError {
    return new NotFoundError(ErrorCode.NOT_FOUND, `${type} ${id} was not found.`, { type, id });
  }

  /** The record was erased (right to erasure); only its tombstone is left. */
  static erased(type: string, id: string, erasedAt: Date): NotFoundError {
    return new NotFoundError(ErrorCode.NOT_FOUND, `${type} ${id} was erased.`, {
      type,
      id,
      erased: true,
      erasedAt: erasedAt.toISOString(),
    });
  }
}

/** The request conflicts with the current state (double booking, duplicate identifier…). */
export class ConflictError extends CareGraphError {
  static because(message: string, details: Record<string, unknown> = {}): ConflictError {
    return new ConflictError(ErrorCode.CONFLICT, message, details);
  }
}

/** Why the law requires keeping a patient's records, in `extensions.reason`. */
export const ErasureRefusal = {
  /** An active legal hold (litigation, investigation) is on the records. */
  LEGAL_HOLD: 'LEGAL_HOLD',
  /** The medical-records retention period has not ended; see `extensions.erasableFrom`. */
  RETENTION_PERIOD: 'RETENTION_PERIOD',
} as const;
export type ErasureRefusal = (typeof ErasureRefusal)[keyof typeof ErasureRefusal];

/** Erasure of a patient's records is refused (CONFLICT) with a stable `reason`. */
export class ErasureRefusedError extends CareGraphError {
  static legalHold(activeHolds: number): ErasureRefusedError {
    return new ErasureRefusedError(
      ErrorCode.CONFLICT,
      'The records are under a legal hold and must be kept; release the hold first.',
      { reason: ErasureRefusal.LEGAL_HOLD, activeHolds },
    );
  }

  /**
   * `erasableFrom` is the first day erasure is allowed (a date, UTC); `basis` says what the
   * retention period counts from.
   */
  static retentionPeriod(
    erasableFrom: string,
    basis: 'LAST_CLINICAL_ACTIVITY' | 'AGE_OF_MAJORITY',
    retentionYears: number,
  ): ErasureRefusedError {
    return new ErasureRefusedError(
      ErrorCode.CONFLICT,
      `Medical records must be kept for ${retentionYears} years; erasure is possible from ${erasableFrom}.`,
      { reason: ErasureRefusal.RETENTION_PERIOD, erasableFrom, basis, retentionYears },
    );
  }
}

/** Configuration is invalid; the message names the variable and what is expected. */
export class ConfigError extends CareGraphError {
  static invalid(problems: string[]): ConfigError {
    return new ConfigError(
      ErrorCode.CONFIG_INVALID,
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      { problems },
    );
  }
}

/** The embedded database is open in another process. */
export class DatabaseLockedError extends CareGraphError {
  static heldBy(pid: number, dataDir: string): DatabaseLockedError {
    return new DatabaseLockedError(
      ErrorCode.DATABASE_LOCKED,
      `The embedded database in ${dataDir} is in use by process ${pid}. Stop it first, or set CAREGRAPH_DATABASE_URL to use PostgreSQL.`,
      { pid },
    );
  }
}

/** The hub's database role is exempt from row-level security (production refuses it). */
export class DatabaseRoleError extends CareGraphError {
  static bypassesRowLevelSecurity(role: string): DatabaseRoleError {
    return new DatabaseRoleError(
      ErrorCode.DATABASE_ROLE_BYPASSES_RLS,
      `The database role "${role}" is a superuser or has BYPASSRLS, so PostgreSQL does not apply CareGraph's row-level security (the second tenant wall). Connect as a role without them (see docs/deployment.md), or set CAREGRAPH_ALLOW_RLS_BYPASS=true to accept the tenant filter alone.`,
      { role },
    );
  }
}

/** Where an encrypted value lives: never its content. */
export interface EncryptedFieldRef {
  table: string;
  column: string;
}

/**
 * A stored encrypted value cannot be used: it was altered, copied from another row, column or
 * tenant, is not ciphertext at all, or its key is not available. Messages name the column and
 * the key version, never the value.
 */
export class EncryptionError extends CareGraphError {
  static decryptFailed(field: EncryptedFieldRef): EncryptionError {
    return new EncryptionError(
      ErrorCode.DECRYPT_FAILED,
      `A stored value of ${field.table}.${field.column} failed authentication: it was altered or moved from another record.`,
      { table: field.table, column: field.column },
    );
  }

  static notCiphertext(field: EncryptedFieldRef): EncryptionError {
    return new EncryptionError(
      ErrorCode.DECRYPT_FAILED,
      `A stored value of ${field.table}.${field.column} is not ciphertext (written around the hub?).`,
      { table: field.table, column: field.column },
    );
  }

  static keyUnavailable(tenantId: string, version?: number): EncryptionError {
    const which = version === undefined ? 'keys' : `data key version ${version}`;
    return new EncryptionError(
      ErrorCode.KEY_UNAVAILABLE,
      `The ${which} of tenant ${tenantId} are not loaded (retired, or created after this hub last refreshed its keyring).`,
      { tenantId, ...(version === undefined ? {} : { version }) },
    );
  }
}

/** The master key is missing, unreadable or not the one that wrapped the stored tenant keys. */
export class MasterKeyError extends CareGraphError {
  static unreadable(file: string, reason: string): MasterKeyError {
    return new MasterKeyError(
      ErrorCode.MASTER_KEY_INVALID,
      `CAREGRAPH_MASTER_KEY_FILE: cannot use ${file}: ${reason}. Generate one with "caregraph keys new-master-key <file>".`,
      { file },
    );
  }

  static mismatch(configuredKeyId: string, storedKeyId: string): MasterKeyError {
    return new MasterKeyError(
      ErrorCode.MASTER_KEY_INVALID,
      `CAREGRAPH_MASTER_KEY_FILE: the configured master key (${configuredKeyId}) did not wrap the tenant keys in this database (wrapped by ${storedKeyId}). Point it at the key file used before, or re-wrap with "caregraph keys rewrap".`,
      { configuredKeyId, storedKeyId },
    );
  }

  static cannotUnwrap(keyId: string): MasterKeyError {
    return new MasterKeyError(
      ErrorCode.MASTER_KEY_INVALID,
      `CAREGRAPH_MASTER_KEY_FILE: the master key (${keyId}) cannot unwrap a stored tenant key: it is the wrong key, or the wrapped key was altered.`,
      { keyId },
    );
  }
}

/** The caller used up its request budget; `details.retryAfter` says in how many seconds to retry. */
export class RateLimitedError extends CareGraphError {
  static retryAfter(seconds: number): RateLimitedError {
    return new RateLimitedError(
      ErrorCode.RATE_LIMITED,
      `Too many requests: retry in ${seconds} s.`,
      { retryAfter: seconds },
    );
  }
}

/**
 * Trusted-documents mode refused an operation: its id is not in the manifest
 * (PERSISTED_QUERY_NOT_FOUND, Apollo's code), or its document is not registered
 * (PERSISTED_QUERY_NOT_IN_LIST, the code GraphOS Router uses for safelisting).
 */
export class TrustedDocumentError extends CareGraphError {
  static unknownId(): TrustedDocumentError {
    return new TrustedDocumentError(
      ErrorCode.PERSISTED_QUERY_NOT_FOUND,
      'PersistedQueryNotFound: no registered operation has this id.',
    );
  }

  static notInList(): TrustedDocumentError {
    return new TrustedDocumentError(
      ErrorCode.PERSISTED_QUERY_NOT_IN_LIST,
      'This server only runs registered operations, and this one is not registered.',
    );
  }
}

/**
 * A subscription cannot resume from the `after` it was given: the event is unknown, older than
 * the replay window, or more events than the replay limit followed it. The client reloads what
 * it shows and subscribes again without `after`.
 */
export class ResyncRequiredError extends CareGraphError {
  static unknownCursor(): ResyncRequiredError {
    return new ResyncRequiredError(
      ErrorCode.RESYNC_REQUIRED,
      'Cannot resume after this event: it is unknown or outside the replay window. Reload and subscribe without "after".',
      { reason: 'outside-window' },
    );
  }

  static tooFarBehind(limit: number): ResyncRequiredError {
    return new ResyncRequiredError(
      ErrorCode.RESYNC_REQUIRED,
      `More than ${limit} events followed this one. Reload and subscribe without "after".`,
      { reason: 'too-far-behind', limit },
    );
  }
}
