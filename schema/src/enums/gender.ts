import { registerEnumType } from 'type-graphql';

/** FHIR administrative gender. */
export enum AdministrativeGender {
  MALE = 'male',
  FEMALE = 'female',
  OTHER = 'other',
  UNKNOWN = 'unknown',
}
registerEnumType(AdministrativeGender, { name: 'AdministrativeGender' });
