/** Where the scheduler reads the time: the system clock, or a test's controllable one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
