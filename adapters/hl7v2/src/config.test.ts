import { randomUUID } from 'node:crypto';
import { hl7v2ConfigSchema } from './config.js';

const base = { tenantId: randomUUID(), integrationUserId: randomUUID(), listen: false };
const ackOnly = {
  name: 'engine-acks',
  host: '127.0.0.1',
  port: 6661,
  events: [],
  receivingApplication: 'ENGINE',
};

describe('applicationAckDestinations', () => {
  it('accepts a sender key naming an outbound destination that takes no SIUs', () => {
    const config = hl7v2ConfigSchema.parse({
      ...base,
      outbound: [ackOnly],
      applicationAckDestinations: { 'LAB^HOSP': 'engine-acks' },
    });
    expect(config.applicationAckDestinations).toEqual({ 'LAB^HOSP': 'engine-acks' });
    expect(config.outbound[0]!.events).toEqual([]);
  });

  it('defaults to none', () => {
    expect(hl7v2ConfigSchema.parse(base).applicationAckDestinations).toEqual({});
  });

  it('refuses a destination that is not in outbound, at the sender key', () => {
    const result = hl7v2ConfigSchema.safeParse({
      ...base,
      outbound: [ackOnly],
      applicationAckDestinations: { '*': 'missing' },
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      [
        'applicationAckDestinations.*',
        '"missing" is not an outbound destination: add it to "outbound" or name one that is there',
      ],
    ]);
  });
});
