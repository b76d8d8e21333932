import { Embeddable, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';

/** Someone taking part in an appointment (FHIR Appointment.participant). */
@ObjectType()
@Embeddable()
export class AppointmentParticipant {
  /** Patient | Practitioner | RelatedPerson | Location | Device */
  @Field(() => String)
  @Property({ type: 'string' })
  actorType!: string;

  @Field(() => String)
  @Property({ type: 'string' })
  actorId!: string;

  /** v3 ParticipationType, e.g. `ATND` (attender), `PPRF` (primary performer). */
  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  role?: string;

  /** accepted | declined | tentative | needs-action */
  @Field(() => String)
  @Property({ type: 'string' })
  status: string = 'accepted';
}
