import {
  Address,
  ContactPoint,
  HumanName,
  type AddressInput,
  type ContactPointInput,
  type HumanNameInput,
} from '@caregraph/schema';

/** Turns client name inputs into embeddable HumanName values. */
export function toHumanNames(inputs: HumanNameInput[]): HumanName[] {
  return inputs.map((input) =>
    Object.assign(new HumanName(), {
      use: input.use,
      family: input.family.trim(),
      given: (input.given ?? []).map((g) => g.trim()),
      prefix: input.prefix ?? [],
      suffix: input.suffix ?? [],
    }),
  );
}

/** Turns client contact inputs into embeddable ContactPoint values (unverified). */
export function toContactPoints(inputs: ContactPointInput[]): ContactPoint[] {
  return inputs.map((input) =>
    Object.assign(new ContactPoint(), {
      system: input.system,
      value: input.value.trim(),
      use: input.use,
      rank: input.rank,
    }),
  );
}

/** Turns client address inputs into embeddable Address values. */
export function toAddresses(inputs: AddressInput[]): Address[] {
  return inputs.map((input) => Object.assign(new Address(), { ...input, line: input.line ?? [] }));
}
