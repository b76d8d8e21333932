import { HumanName, Patient, Practitioner, RelatedPerson } from '@caregraph/schema';
import { buildRenderModel, type PracticeSettings } from './render-model.js';

function name(use: string | undefined, given: string[], family: string, prefix: string[] = []) {
  return Object.assign(new HumanName(), { use, given, family, prefix });
}

function patient(overrides: Partial<Patient> = {}): Patient {
  return Object.assign(new Patient(), {
    names: [name('official', ['María', 'José'], 'López'), name('usual', ['Majo'], 'López')],
    preferredLanguage: 'es-mx',
    timeZone: 'America/Chicago',
    ...overrides,
  });
}

const practice: PracticeSettings = {
  name: 'Sunrise Family Clinic',
  phone: '+1 555 0100',
  defaultLanguage: 'en-US',
  defaultTimeZone: 'America/Chicago',
};

describe('buildRenderModel', () => {
  it('greets the patient by the given name of their preferred (usual) name', () => {
    const model = buildRenderModel({ patient: patient(), practice });
    expect(model.recipient).toEqual({ givenName: 'Majo', name: 'Majo López', isPatient: true });
    expect(model.patient.givenName).toBe('Majo');
    expect(model.language).toBe('es-MX');
    expect(model.timeZone).toBe('America/Chicago');
    expect(model.showTimeZoneName).toBe(false);
    expect(model.practice).toEqual({ name: 'Sunrise Family Clinic', phone: '+1 555 0100' });
  });

  it('greets a caregiver recipient by their own name, keeping the patient’s for the body', () => {
    const caregiver = Object.assign(new RelatedPerson(), {
      relationship: 'MTH',
      name: name(undefined, ['Ana'], 'Ruiz'),
    });
    const model = buildRenderModel({
      patient: patient(),
      caregiver: Object.assign(caregiver, {
        preferredLanguage: 'en',
        timeZone: 'America/New_York',
      }),
      practice,
    });
    expect(model.recipient).toEqual({ givenName: 'Ana', name: 'Ana Ruiz', isPatient: false });
    expect(model.patient.givenName).toBe('Majo');
    expect(model.language).toBe('en');
    expect(model.timeZone).toBe('America/New_York');
    expect(model.showTimeZoneName).toBe(true);
  });

  it('gives a caregiver without language or zone the patient’s', () => {
    const caregiver = Object.assign(new RelatedPerson(), {
      name: name(undefined, ['Ana'], 'Ruiz'),
    });
    const model = buildRenderModel({ patient: patient(), caregiver, practice });
    expect(model.language).toBe('es-MX');
    expect(model.timeZone).toBe('America/Chicago');
  });

  it('falls back to the tenant’s language and zone when the patient’s are missing or invalid', () => {
    const model = buildRenderModel({
      patient: patient({ preferredLanguage: 'klingon!!', timeZone: 'Mars/Olympus' }),
      practice: { ...practice, defaultTimeZone: 'America/Denver' },
    });
    expect(model.language).toBe('en-US');
    expect(model.timeZone).toBe('America/Denver');
    expect(
      buildRenderModel({
        patient: patient({ preferredLanguage: undefined }),
        practice: { name: 'X', defaultTimeZone: 'UTC' },
      }).language,
    ).toBe('en');
  });

  it('copies only the appointment’s time, location and clinician name', () => {
    const practitioner = Object.assign(new Practitioner(), {
      name: name(undefined, ['Luis'], 'Pérez', ['Dr.']),
      specialty: { display: 'Oncology' },
    });
    const model = buildRenderModel({
      patient: patient(),
      appointment: {
        start: new Date('2026-03-10T20:30:00Z'),
        end: new Date('2026-03-10T21:00:00Z'),
        location: ' Building B, room 2 ',
        practitioner,
      },
      practice,
    });
    expect(model.appointment).toEqual({
      start: new Date('2026-03-10T20:30:00Z'),
      end: new Date('2026-03-10T21:00:00Z'),
      location: 'Building B, room 2',
      practitionerName: 'Dr. Luis Pérez',
    });
  });

  it('leaves names undefined rather than empty when the record has none', () => {
    const model = buildRenderModel({ patient: patient({ names: [] }), practice });
    expect(model.recipient.givenName).toBeUndefined();
    expect(model.recipient.name).toBeUndefined();
    expect(model.patient.givenName).toBeUndefined();
  });
});
