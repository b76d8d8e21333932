import {
  ArrayMaxSize,
  ArrayMinSize,
  IsOptional,
  Matches,
  ValidateNested,
  type ValidationArguments,
  registerDecorator,
} from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { LocalDateResolver } from 'graphql-scalars';
import { isValidTimeZone } from '../common/time-zone.js';
import { AdministrativeGender } from '../enums/gender.js';
import {
  AddressInput,
  ContactPointInput,
  HumanNameInput,
  IdentifierInput,
  IsEntityId,
} from './common-inputs.js';

/** Validates an IANA time zone name such as `America/Chicago`. */
export function IsTimeZone(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate(value: unknown) {
          return value === undefined || value === null || isValidTimeZone(String(value));
        },
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'timeZone'} must be an IANA time zone like America/Chicago`,
      },
    });
}

/** Validates that a `YYYY-MM-DD` date is not in the future. */
export function IsNotFutureDate(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNotFutureDate',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate(value: unknown) {
          if (value === undefined || value === null) return true;
          return String(value) <= new Date().toISOString().slice(0, 10);
        },
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'date'} must not be in the future`,
      },
    });
}

const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Optional demographics shared by create and update (a list given replaces the old one). */
@InputType()
abstract class PatientDetailsInput {
  @Field(() => AdministrativeGender, { nullable: true })
  gender?: AdministrativeGender;

  @Field(() => LocalDateResolver, { nullable: true })
  @IsOptional()
  @IsNotFutureDate()
  birthDate?: string;

  @Field(() => [ContactPointInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  telecom?: ContactPointInput[];

  @Field(() => [AddressInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  address?: AddressInput[];

  @Field(() => String, { nullable: true, description: 'BCP-47 language tag, e.g. es or en-US' })
  @IsOptional()
  @Matches(LANGUAGE_TAG, {
    message: 'preferredLanguage must be a BCP-47 language tag like es or en-US',
  })
  preferredLanguage?: string;

  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. America/Chicago' })
  @IsOptional()
  @IsTimeZone()
  timeZone?: string;
}

/** Demographics of a new patient. */
@InputType()
export class CreatePatientInput extends PatientDetailsInput {
  @Field(() => [HumanNameInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  names!: HumanNameInput[];

  @Field(() => [IdentifierInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  identifiers?: IdentifierInput[];
}

/** Changes to a patient; omitted fields stay as they are, lists given replace the old ones. */
@InputType()
export class UpdatePatientInput extends PatientDetailsInput {
  @Field(() => [HumanNameInput], { nullable: true })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  names?: HumanNameInput[];

  @Field(() => [IdentifierInput], { nullable: true, description: 'Identifiers to add.' })
  @IsOptional()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  addIdentifiers?: IdentifierInput[];
}

/** Filters of the `patients` search; all given filters must match. */
@InputType()
export class PatientSearchInput {
  @Field(() => String, {
    nullable: true,
    description: 'Name prefix(es), case- and accent-insensitive: "jos nu" finds José Núñez.',
  })
  @IsOptional()
  @Matches(/\S/, { message: 'name must contain a letter or digit' })
  name?: string;

  @Field(() => String, { nullable: true, description: 'Exact identifier value (any system).' })
  @IsOptional()
  identifier?: string;

  @Field(() => LocalDateResolver, { nullable: true })
  birthDate?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsEntityId()
  careTeamId?: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Include merged and inactive records (default false).',
  })
  includeInactive?: boolean;
}
