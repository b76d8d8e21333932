import { parseMessage } from '../message/index.js';
import { fixture } from '../message/test-support.js';
import { ADT_A01, ORU_LAB, adt, message, seg } from './fixtures/messages.js';
import { catchMapping, mapAs, parse } from './fixtures/test-support.js';
import { hooksFor, type MappingHooks } from './hooks.js';
import { mapMessage } from './map-message.js';
import { MappingError } from './mapping-error.js';

describe('per-sender hooks', () => {
  it('an after hook reads a Z-segment (ZPI-2) and sets a patient field', () => {
    const hooks: MappingHooks = {
      'EPIC^GENHOSP': {
        after(msg, record) {
          const language = msg.segment('ZPI')?.get('2');
          if (record.kind === 'adt' && typeof language === 'string') {
            return { ...record, patient: { ...record.patient, preferredLanguage: language } };
          }
          return record;
        },
      },
    };
    const text = message(ADT_A01, seg('ZPI', { 1: '1', 2: 'fr-CA' }));
    expect(mapAs(text, 'adt', { hooks }).patient.preferredLanguage).toBe('fr-CA');
    expect(mapAs(text, 'adt').patient.preferredLanguage).toBe('es');
  });

  it('an after hook sees the lab Z-segment next to the results', () => {
    const hooks: MappingHooks = {
      LAB: {
        after(msg, record) {
          if (record.kind !== 'results' || msg.segment('ZLR')?.get('2') !== 'CRITICAL-CALLED')
            return record;
          for (const o of record.results.flatMap((r) => r.orders).flatMap((o) => o.observations)) {
            if (o.outOfRange) o.note = [o.note, 'Critical value called'].filter(Boolean).join('\n');
          }
          return record;
        },
      },
    };
    const observations = mapAs(ORU_LAB, 'results', { hooks }).results[0]!.orders[0]!.observations;
    expect(observations[0]!.note).toBe('Repeat advised\nCalled to ward\nCritical value called');
    expect(observations[1]!.note).toBeUndefined();
  });

  it('identifierSystem maps a local authority to an OID; the default rule applies otherwise', () => {
    const hooks: MappingHooks = {
      '*': {
        identifierSystem: (authority, type) =>
          authority.namespaceId === 'GENHOSP' && type === 'MR'
            ? 'urn:oid:1.2.840.99999.1'
            : undefined,
      },
    };
    const identifiers = mapAs(ADT_A01, 'adt', { hooks }).patient.identifiers;
    expect(identifiers.map((i) => i.system)).toEqual([
      'urn:oid:1.2.840.99999.1',
      'http://hl7.org/fhir/sid/us-ssn',
      'urn:oid:2.16.840.1.113883.19.5',
    ]);
  });

  it('codeSystem names a lab’s local codes', () => {
    const hooks: MappingHooks = {
      LAB: { codeSystem: (name) => (name === 'L' ? 'http://lab.example.org/codes' : undefined) },
    };
    const code = mapAs(ORU_LAB, 'results', { hooks }).results[0]!.orders[0]!.observations[1]!.code;
    // OBX-3 is GLU^Glucose^L^2345-7^Glucose^LN: LOINC still preferred over the named local code.
    expect(code.system).toBe('http://loinc.org');
    const obr = mapAs(
      ORU_LAB.replace('24323-8^Comprehensive metabolic panel^LN', 'CMP^Panel^L'),
      'results',
      {
        hooks,
      },
    ).results[0]!.orders[0]!.serviceCode;
    expect(obr).toEqual({ system: 'http://lab.example.org/codes', code: 'CMP', display: 'Panel' });
  });

  it('a before hook repairs a sender’s message (the CERNER feed that omits OBX-4)', () => {
    const hooks: MappingHooks = {
      CERNER: {
        before: (msg) =>
          parseMessage(msg.text.replace(/(^|\r)(OBX\|[^|\r]*\|[^|\r]*\|[^|\r]*)\|/g, '$1$2||')),
      },
    };
    const record = mapAs(fixture('nodehl7-bicp_ORUR01.hl7'), 'results', { hooks });
    expect(record.results[0]!.orders[0]!.observations[0]).toMatchObject({
      code: { code: 'GLU', display: 'Glucose Lvl' },
      valueQuantity: 59,
      unit: 'mg/dL',
      referenceRangeLow: 65,
      referenceRangeHigh: 99,
      interpretation: 'L',
      outOfRange: true,
      effectiveAt: new Date('2006-11-22T15:47:33Z'),
    });
  });

  it('extractors replace one mapping for one sender', () => {
    const hooks: MappingHooks = {
      'EPIC^GENHOSP': {
        extractors: {
          'ADT^A08': () => ({
            kind: 'not-mapped',
            messageType: 'ADT^A08',
            reason: 'this feed sends A08 twice',
          }),
        },
      },
    };
    expect(mapMessage(parse(adt('A08')), { hooks })).toMatchObject({ kind: 'not-mapped' });
    expect(mapMessage(parse(adt('A01')), { hooks }).kind).toBe('adt');
  });

  it('defaultTimeZone per sender wins over the option', () => {
    const hooks: MappingHooks = { LAB: { defaultTimeZone: 'Europe/Paris' } };
    const order = mapAs(ORU_LAB, 'results', { hooks, defaultTimeZone: 'America/Chicago' })
      .results[0]!.orders[0]!;
    expect(order.observedAt).toEqual(new Date('2024-01-05T07:00:00Z'));
  });

  it('keys are tried as MSH-3^MSH-4, then MSH-3, then *; the first found applies alone', () => {
    const msg = parse(ADT_A01);
    const exact = { defaultTimeZone: 'UTC' };
    const app = { defaultTimeZone: 'Asia/Tokyo' };
    const all = { defaultTimeZone: 'Europe/Paris' };
    expect(hooksFor(msg, { 'EPIC^GENHOSP': exact, EPIC: app, '*': all })).toBe(exact);
    expect(hooksFor(msg, { EPIC: app, '*': all })).toBe(app);
    expect(hooksFor(msg, { 'OTHER^X': exact, '*': all })).toBe(all);
    expect(hooksFor(msg, { 'OTHER^X': exact })).toEqual({});
    expect(hooksFor(msg, undefined)).toEqual({});
  });

  it('a hook that throws is a 207 (internal) with the cause kept; a MappingError passes through', () => {
    const boom = new Error('hook bug');
    const internal = catchMapping(() =>
      mapMessage(parse(ADT_A01), {
        hooks: {
          '*': {
            after: () => {
              throw boom;
            },
          },
        },
      }),
    );
    expect(internal.hl7Code).toBe('207');
    expect(internal.cause).toBe(boom);
    const refused = MappingError.requiredFieldMissing(
      { segment: 'ZPI', sequence: 1, field: 2 },
      'site code',
    );
    const passed = catchMapping(() =>
      mapMessage(parse(ADT_A01), {
        hooks: {
          '*': {
            before: () => {
              throw refused;
            },
          },
        },
      }),
    );
    expect(passed).toBe(refused);
  });
});
