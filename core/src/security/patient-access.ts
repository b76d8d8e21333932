import DataLoader from 'dataloader';
import { isEntityId } from '@caregraph/schema';
import type { EntityManager } from '@mikro-orm/sql';
import { hasAnyRole, type Actor } from '../auth/actor.js';
import type { PurposeOfUse } from '../context/request-context.js';
import type { EventSnapshot } from '../events/event-snapshot.js';
import type { AccessAction, DataCategory } from './access-matrix.js';
import { basisFor, scopesFor, type AccessBasis, type Relationship } from './access-policy.js';
import { eventCareTeam } from './care-team-audience.js';
import {
  privacyConsents,
  proxyPatients,
  staffRelationships,
  type PrivacyConsent,
  type StaffRelationship,
} from './relationship-queries.js';
import { CARE_TEAM_ROLES } from './root-field-access.js';
import { withheldLabels } from './sensitive-access.js';

/** The outcome of one access check. */
export interface AccessDecision {
  allowed: boolean;
  basis?: AccessBasis;
  breakGlassSessionId?: string;
}

/** What one operation read (or was refused) of one patient, for the read audit. */
export interface PatientRead {
  patientId: string;
  categories: Set<DataCategory>;
  /** Categories refused (`clinical`), or refused for an action other than read (`clinical:write`). */
  denied: Set<string>;
  bases: Set<AccessBasis>;
  breakGlassSessionIds: Set<string>;
}

const DENIED: AccessDecision = { allowed: false };

/**
 * Relationship-based access for one operation: decides, per patient and data category, whether
 * the actor may see it (the matrix in access-matrix.ts plus the actor's care relationships,
 * proxy consents and break-glass sessions, all batched), and remembers what was read or refused
 * so the operation's read audit can record it.
 */
export class PatientAccess {
  private readonly relationships: DataLoader<string, Relationship>;
  private readonly consents: DataLoader<string, PrivacyConsent[]>;
  private readonly decisions = new Map<string, Promise<AccessDecision>>();
  private readonly withheld = new Map<string, Promise<string[]>>();
  private reads = new Map<string, PatientRead>();

  constructor(
    private readonly em: EntityManager,
    readonly actor: Actor,
    readonly purpose: PurposeOfUse,
    readonly now: Date = new Date(),
    private readonly snapshot?: EventSnapshot,
  ) {
    this.relationships = new DataLoader((ids) => this.loadRelationships(ids), {
      maxBatchSize: 500,
    });
    // A patient's privacy consents do not depend on the receiver: one read per delivered event.
    const loadConsents = (ids: readonly string[]) =>
      snapshot
        ? snapshot.shared(`privacyConsents:${ids.join(',')}`, () =>
            privacyConsents(em, actor.tenantId, ids, snapshot.at),
          )
        : privacyConsents(em, actor.tenantId, ids, now);
    this.consents = new DataLoader(
      async (ids) => {
        const rows = await loadConsents(ids);
        return ids.map((id) => rows.filter((row) => row.patientId === id));
      },
      { maxBatchSize: 500 },
    );
  }

  /** Whether the actor may perform `action` on `category` of the patient. Memoised per request. */
  decide(
    patientId: string,
    category: DataCategory,
    action: AccessAction = 'read',
  ): Promise<AccessDecision> {
    const key = `${patientId}|${category}|${action}`;
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = this.evaluate(patientId, category, action);
      this.decisions.set(key, decision);
    }
    return decision;
  }

  /** `decide` for a read, recorded for the read audit. */
  async mayRead(patientId: string, category: DataCategory): Promise<boolean> {
    const decision = await this.decide(patientId, category, 'read');
    this.record(patientId, category, decision);
    return decision.allowed;
  }

  /**
   * The actor's relationship to a patient, break-glass sessions included (batched with the
   * other patients of the request).
   */
  relationship(patientId: string): Promise<Relationship> {
    return this.relationships.load(patientId);
  }

  /** The care-team, self and proxy relationships only (break-glass left out). */
  async personalRelationship(patientId: string): Promise<Relationship> {
    const { careTeam, self, proxy } = await this.relationships.load(patientId);
    return { careTeam, self, proxy };
  }

  /**
   * Sensitivity labels whose records of this patient the actor must not see (withheld from
   * lists): decided by the matrix's `sensitiveClinical` row, the basis of access and the
   * patient's privacy consents.
   */
  withheldLabels(patientId: string): Promise<string[]> {
    let labels = this.withheld.get(patientId);
    if (!labels) {
      labels = this.decide(patientId, 'sensitiveClinical').then(async (decision) => {
        if (decision.allowed) this.record(patientId, 'sensitiveClinical', decision);
        return withheldLabels(
          decision,
          decision.allowed ? await this.consents.load(patientId) : [],
        );
      });
      this.withheld.set(patientId, labels);
    }
    return labels;
  }

  /** Takes what was read since the last call (an operation, or one subscription event). */
  drainReads(): PatientRead[] {
    const reads = [...this.reads.values()];
    this.reads = new Map();
    return reads;
  }

  /** Records a refused access that did not go through `mayRead` (a write, an export). */
  recordRefusal(patientId: string, what: string): void {
    this.readOf(patientId).denied.add(what);
  }

  private readOf(patientId: string): PatientRead {
    let read = this.reads.get(patientId);
    if (!read) {
      read = {
        patientId,
        categories: new Set(),
        denied: new Set(),
        bases: new Set(),
        breakGlassSessionIds: new Set(),
      };
      this.reads.set(patientId, read);
    }
    return read;
  }

  private record(patientId: string, category: DataCategory, decision: AccessDecision): void {
    const read = this.readOf(patientId);
    if (!decision.allowed) {
      read.denied.add(category);
      return;
    }
    read.categories.add(category);
    if (decision.basis) read.bases.add(decision.basis);
    if (decision.breakGlassSessionId) read.breakGlassSessionIds.add(decision.breakGlassSessionId);
  }

  private async evaluate(
    patientId: string,
    category: DataCategory,
    action: AccessAction,
  ): Promise<AccessDecision> {
    const scopes = scopesFor(this.actor, category, action, this.purpose);
    if (scopes.size === 0 || !isEntityId(patientId)) return DENIED;
    if (scopes.size === 1 && scopes.has('tenant')) return { allowed: true, basis: 'tenant' };
    // basisFor prefers every other relationship to a break-glass session.
    const relationship = await this.relationship(patientId);
    const basis = basisFor(scopes, relationship);
    if (!basis) return DENIED;
    return basis === 'breakGlass'
      ? { allowed: true, basis, breakGlassSessionId: relationship.breakGlassSessionId }
      : { allowed: true, basis };
  }

  /**
   * Of `patientIds`, those whose care teams (read once per event, for routing and all its
   * receivers: `eventCareTeam`) include the actor's practitioner record: on a team, break-glass cannot widen the basis, so their
   * relationship needs no statement of this receiver's own.
   */
  private async onCareTeamBySnapshot(patientIds: readonly string[]): Promise<Set<string>> {
    const { snapshot, actor, em } = this;
    const practitionerId = actor.practitionerId;
    if (!snapshot || !practitionerId) return new Set();
    const teams = await Promise.all(
      patientIds.map((id) => eventCareTeam(snapshot, () => em, actor.tenantId, id)),
    );
    return new Set(patientIds.filter((_, i) => teams[i]!.has(practitionerId)));
  }

  private async loadRelationships(patientIds: readonly string[]): Promise<Relationship[]> {
    const { actor, em, now } = this;
    const onTeam = await this.onCareTeamBySnapshot(patientIds);
    const others = patientIds.filter((id) => !onTeam.has(id));
    // Clinicians' break-glass sessions come with their care teams, in the same statement, so a
    // request costs the same whether or not some of its patients are off their care teams.
    const [staff, proxied] = await Promise.all([
      others.length && (actor.practitionerId || hasAnyRole(actor, CARE_TEAM_ROLES))
        ? staffRelationships(em, actor.tenantId, actor, others, now)
        : new Map<string, StaffRelationship>(),
      actor.relatedPersonId
        ? proxyPatients(em, actor.tenantId, actor.relatedPersonId, patientIds, now)
        : new Set<string>(),
    ]);
    return patientIds.map((id) => ({
      careTeam: onTeam.has(id),
      ...staff.get(id),
      proxy: proxied.has(id),
      self: actor.patientId === id,
    }));
  }
}
