import { registerEnumType } from 'type-graphql';

/** FHIR ContactPoint.system. */
export enum ContactPointSystem {
  PHONE = 'phone',
  SMS = 'sms',
  EMAIL = 'email',
  FAX = 'fax',
  URL = 'url',
  OTHER = 'other',
}
registerEnumType(ContactPointSystem, { name: 'ContactPointSystem' });

/** FHIR ContactPoint.use. */
export enum ContactPointUse {
  HOME = 'home',
  WORK = 'work',
  MOBILE = 'mobile',
  TEMP = 'temp',
  OLD = 'old',
}
registerEnumType(ContactPointUse, { name: 'ContactPointUse' });
