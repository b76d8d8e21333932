import { Faker, base, en, en_US, es } from '@faker-js/faker';
import { instantOfWallTime } from '@caregraph/schema';

/** Seed of the demographic stream: names and contact details never depend on `now`. */
export const PEOPLE_SEED = 20_240_601;
/** Seed of the clinical stream (conditions, results, schedule). */
export const CLINICAL_SEED = 20_240_602;

const DAY_MS = 86_400_000;

/**
 * A seeded random source for the demo data. Wraps a private Faker instance (the global
 * `faker` is never seeded or touched), so two runs with the same seed give the same data.
 */
export class SeedRandom {
  /** US-English Faker (names, streets). */
  readonly faker: Faker;
  /** Spanish Faker, for the names of Spanish-speaking patients. */
  readonly fakerEs: Faker;

  constructor(seed: number) {
    this.faker = new Faker({ locale: [en_US, en, base] });
    this.faker.seed(seed);
    this.fakerEs = new Faker({ locale: [es, en, base] });
    this.fakerEs.seed(seed + 1);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return this.faker.number.int({ min, max });
  }

  /** A float in [min, max] rounded to `decimals` places. */
  float(min: number, max: number, decimals: number): number {
    const value = this.faker.number.float({ min, max });
    const factor = 10 ** decimals;
    return Math.round(value * factor) / factor;
  }

  /** true with the given probability. */
  chance(probability: number): boolean {
    return this.faker.number.float({ min: 0, max: 1 }) < probability;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick() needs a non-empty list');
    return items[this.int(0, items.length - 1)];
  }

  /** One element, chosen by weight. */
  weighted<T>(items: readonly { value: T; weight: number }[]): T {
    const total = items.reduce((sum, item) => sum + item.weight, 0);
    let roll = this.faker.number.float({ min: 0, max: total });
    for (const item of items) {
      roll -= item.weight;
      if (roll <= 0) return item.value;
    }
    return items[items.length - 1].value;
  }

  /** `count` distinct elements of a list (fewer if the list is shorter). */
  sample<T>(items: readonly T[], count: number): T[] {
    return this.faker.helpers.arrayElements([...items], Math.min(count, items.length));
  }

  /** Random digits, e.g. for member ids. */
  digits(length: number): string {
    return this.faker.string.numeric({ length, allowLeadingZeros: true });
  }

  /** Random upper-case letters and digits. */
  code(length: number): string {
    return this.faker.string.alphanumeric({ length, casing: 'upper' });
  }
}

/** `date` shifted by whole days (negative = earlier). */
export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** `date` shifted by minutes. */
export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}

/** The calendar date (UTC) of `date` as ISO `YYYY-MM-DD`. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Whole years between an ISO birth date and `now`. */
export function ageOn(birthDate: string, now: Date): number {
  const [year, month, day] = birthDate.split('-').map(Number);
  let age = now.getUTCFullYear() - year;
  const beforeBirthday =
    now.getUTCMonth() + 1 < month || (now.getUTCMonth() + 1 === month && now.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age;
}

/** Folds accents and punctuation away, for e-mail local parts (`Núñez` -> `nunez`). */
export function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

/** The instant at which the wall clock in `timeZone` shows the given local date and time. */
export function zonedTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  return instantOfWallTime(Date.UTC(year, month - 1, day, hour, minute), timeZone);
}
