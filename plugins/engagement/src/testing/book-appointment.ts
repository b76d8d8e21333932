import type { PluginTestHub, TestCaller } from '@caregraph/plugin-sdk/testing';

const BOOK = `mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }`;
const HALF_HOUR = 30 * 60_000;

/** Test support: books a 30-minute appointment over GraphQL as `as`; resolves with its id. */
export async function bookAppointment(
  hub: PluginTestHub,
  as: TestCaller,
  slot: { patientId: string; practitionerId: string; start: Date },
): Promise<string> {
  const res = await hub.graphql<{ bookAppointment: { id: string } }>(
    BOOK,
    {
      input: {
        patientId: slot.patientId,
        practitionerId: slot.practitionerId,
        start: slot.start.toISOString(),
        end: new Date(slot.start.getTime() + HALF_HOUR).toISOString(),
      },
    },
    as,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.bookAppointment.id;
}
