import {
  ArrayMaxSize,
  IsIn,
  IsInt,
  IsOptional,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { ContactPointSystem, ContactPointUse } from '../enums/contact.js';

/** Whether a value has the shape of a CareGraph record id (a UUID). */
export function isEntityId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  );
}

/** Validates an id of a CareGraph record (a UUID). */
export function IsEntityId(): PropertyDecorator {
  return IsUUID('all', { message: '$property must be an id returned by this API' });
}

/** A name as written by a client. */
@InputType()
export class HumanNameInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn(['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden'])
  use?: string;

  @Field(() => String)
  @Length(1, 100)
  family!: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  @Length(1, 100, { each: true })
  given?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  @Length(1, 20, { each: true })
  prefix?: string[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(3)
  @Length(1, 20, { each: true })
  suffix?: string[];
}

/** A phone number or e-mail address as written by a client. */
@InputType()
export class ContactPointInput {
  @Field(() => ContactPointSystem)
  system!: ContactPointSystem;

  @Field(() => String)
  @Length(3, 254)
  value!: string;

  @Field(() => ContactPointUse, { nullable: true })
  use?: ContactPointUse;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  rank?: number;
}

/** A postal address as written by a client. */
@InputType()
export class AddressInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn(['home', 'work', 'temp', 'old', 'billing'])
  use?: string;

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(4)
  @Length(1, 200, { each: true })
  line?: string[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  city?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  state?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 20)
  postalCode?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(2, 100)
  country?: string;
}

/** A code from a terminology as written by a client. */
@InputType()
export class CodedConceptInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 255)
  system?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100)
  code?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 255)
  display?: string;
}

/** A business identifier as written by a client. */
@InputType()
export class IdentifierInput {
  @Field(() => String, { description: 'Namespace URI, e.g. http://hl7.org/fhir/sid/us-ssn' })
  @Length(3, 255)
  @Matches(/^(https?:\/\/|urn:)\S+$/, { message: 'system must be a URL or URN' })
  system!: string;

  @Field(() => String)
  @Length(1, 100)
  value!: string;

  @Field(() => String, { nullable: true, description: 'HL7 v2-0203 type code, e.g. MR, SS' })
  @IsOptional()
  @Matches(/^[A-Z]{1,5}$/, { message: 'type must be an HL7 v2-0203 code like MR or SS' })
  type?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(255)
  assigner?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsIn(['usual', 'official', 'temp', 'secondary', 'old'])
  use?: string;
}
