import { ManyToOne } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Patient } from '../entities/patient.js';
import { TenantScopedEntity } from './base-entity.js';

/**
 * A record about one patient (observation, condition, appointment…). `patient` is resolved in
 * GraphQL by core through a DataLoader, so it carries no `@Field` here.
 */
@ObjectType()
export abstract class PatientOwnedEntity extends TenantScopedEntity {
  @ManyToOne(() => Patient, { index: true })
  patient!: Patient;
}
