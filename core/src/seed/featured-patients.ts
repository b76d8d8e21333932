/** Hand-written first patients, home cities and name lists for the demo clinic. */
import { AdministrativeGender } from '@caregraph/schema';
import type { ConditionKey } from './catalog.js';

/** A hand-written patient placed at the start of the list (docs and tests rely on them). */
export interface FeaturedPatient {
  given: string[];
  family: string;
  gender: AdministrativeGender;
  age: number;
  language: string;
  cityIndex: number;
  conditions: ConditionKey[];
  primaryTeam: 'pc-a' | 'pc-b';
}

/** The first patients; the first one has the `patient` user account. */
export const FEATURED_PATIENTS: readonly FeaturedPatient[] = [
  {
    given: ['Emma', 'Grace'],
    family: 'Johnson',
    gender: AdministrativeGender.FEMALE,
    age: 58,
    language: 'en',
    cityIndex: 4,
    conditions: ['hypertension', 'diabetes'],
    primaryTeam: 'pc-a',
  },
  {
    given: ['José', 'Luis'],
    family: 'Núñez',
    gender: AdministrativeGender.MALE,
    age: 46,
    language: 'es',
    cityIndex: 10,
    conditions: ['diabetes', 'hyperlipidemia'],
    primaryTeam: 'pc-b',
  },
  {
    given: ['Zoë'],
    family: 'Ångström',
    gender: AdministrativeGender.FEMALE,
    age: 34,
    language: 'en',
    cityIndex: 0,
    conditions: ['asthma'],
    primaryTeam: 'pc-a',
  },
  {
    given: ['Thị', 'Lan'],
    family: 'Nguyễn',
    gender: AdministrativeGender.FEMALE,
    age: 67,
    language: 'vi',
    cityIndex: 12,
    conditions: ['hypertension', 'hyperlipidemia'],
    primaryTeam: 'pc-b',
  },
  {
    given: ['Wei'],
    family: 'Chen',
    gender: AdministrativeGender.MALE,
    age: 72,
    language: 'zh',
    cityIndex: 1,
    conditions: ['atrialFibrillation', 'hypertension'],
    primaryTeam: 'pc-a',
  },
  {
    given: ['Sofía'],
    family: 'Hernández',
    gender: AdministrativeGender.FEMALE,
    age: 7,
    language: 'es',
    cityIndex: 8,
    conditions: ['asthma'],
    primaryTeam: 'pc-b',
  },
  {
    given: ['Chloé'],
    family: 'Lefèvre-Martin',
    gender: AdministrativeGender.FEMALE,
    age: 29,
    language: 'en',
    cityIndex: 2,
    conditions: ['depression'],
    primaryTeam: 'pc-a',
  },
  {
    given: ['Liam'],
    family: "O'Connor",
    gender: AdministrativeGender.MALE,
    age: 81,
    language: 'en',
    cityIndex: 5,
    conditions: ['hypertension', 'osteoarthritis'],
    primaryTeam: 'pc-b',
  },
];

/** A US city with its time zone, ZIP prefix and a local area code. */
export interface CityDef {
  city: string;
  state: string;
  zipPrefix: string;
  areaCode: string;
  timeZone: string;
}

/** Cities patients live in (`patients.ts` favours those in the clinic's time zone). */
export const CITIES: readonly CityDef[] = [
  {
    city: 'New York',
    state: 'NY',
    zipPrefix: '100',
    areaCode: '212',
    timeZone: 'America/New_York',
  },
  { city: 'Boston', state: 'MA', zipPrefix: '021', areaCode: '617', timeZone: 'America/New_York' },
  { city: 'Atlanta', state: 'GA', zipPrefix: '303', areaCode: '404', timeZone: 'America/New_York' },
  {
    city: 'Columbus',
    state: 'OH',
    zipPrefix: '432',
    areaCode: '614',
    timeZone: 'America/New_York',
  },
  { city: 'Chicago', state: 'IL', zipPrefix: '606', areaCode: '312', timeZone: 'America/Chicago' },
  { city: 'Evanston', state: 'IL', zipPrefix: '602', areaCode: '847', timeZone: 'America/Chicago' },
  {
    city: 'Milwaukee',
    state: 'WI',
    zipPrefix: '532',
    areaCode: '414',
    timeZone: 'America/Chicago',
  },
  { city: 'Houston', state: 'TX', zipPrefix: '770', areaCode: '713', timeZone: 'America/Chicago' },
  { city: 'Denver', state: 'CO', zipPrefix: '802', areaCode: '303', timeZone: 'America/Denver' },
  {
    city: 'Albuquerque',
    state: 'NM',
    zipPrefix: '871',
    areaCode: '505',
    timeZone: 'America/Denver',
  },
  {
    city: 'Los Angeles',
    state: 'CA',
    zipPrefix: '900',
    areaCode: '213',
    timeZone: 'America/Los_Angeles',
  },
  {
    city: 'Seattle',
    state: 'WA',
    zipPrefix: '981',
    areaCode: '206',
    timeZone: 'America/Los_Angeles',
  },
  {
    city: 'San Jose',
    state: 'CA',
    zipPrefix: '951',
    areaCode: '408',
    timeZone: 'America/Los_Angeles',
  },
];

/** Romanised Vietnamese and Chinese names for the few patients who prefer those languages. */
export const EXTRA_NAMES: Record<
  'vi' | 'zh',
  { family: string[]; female: string[]; male: string[] }
> = {
  vi: {
    family: ['Trần', 'Lê', 'Phạm', 'Võ', 'Đặng'],
    female: ['Thu', 'Hương', 'Mai', 'Ngọc'],
    male: ['Minh', 'Quang', 'Huy', 'Đức'],
  },
  zh: {
    family: ['Wang', 'Li', 'Zhang', 'Liu', 'Huang'],
    female: ['Mei', 'Xiu Ying', 'Li Na', 'Jing'],
    male: ['Jun', 'Hao', 'Lei', 'Zhi Wei'],
  },
};
