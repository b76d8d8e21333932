/** VXU^V04 (RXA + RXR) → {@link ImmunizationsRecord}. */
import { ImmunizationStatus } from '@caregraph/schema';
import type { Hl7Message } from '../message/types.js';
import { CVX_SYSTEM } from './code-systems.js';
import { dateTimeField, numberField, requireSegment } from './context.js';
import { codedText, comp, field, locate, readCoded, readPractitioner, rep } from './datatypes.js';
import type { MappingContext } from './hooks.js';
import { MappingError } from './mapping-error.js';
import { patientOf } from './patient.js';
import type { ImmunizationRecord, ImmunizationsRecord } from './records.js';

const ACTION: Readonly<Record<string, ImmunizationRecord['action']>> = {
  A: 'add',
  U: 'update',
  D: 'delete',
};

/** RXA-20 completion status (table 0322). */
const COMPLETION: Readonly<Record<string, ImmunizationStatus>> = {
  CP: ImmunizationStatus.COMPLETED,
  PA: ImmunizationStatus.COMPLETED,
  RE: ImmunizationStatus.NOT_DONE,
  NA: ImmunizationStatus.NOT_DONE,
};

/** Maps a VXU^V04. Each RXA is one immunization; the RXR after it gives route and site. */
export function mapImmunizations(msg: Hl7Message, ctx: MappingContext): ImmunizationsRecord {
  const pid = requireSegment(msg, 'PID', 'patient identification');
  const immunizations: ImmunizationRecord[] = [];
  let current: ImmunizationRecord | undefined;
  for (const seg of msg.segments) {
    if (seg.name === 'RXA') {
      const vaccineCode = readCoded(rep(seg, 5), ctx, [CVX_SYSTEM]);
      if (!vaccineCode)
        throw MappingError.requiredFieldMissing(locate(msg, seg, 5), 'administered code');
      const occurrenceAt = dateTimeField(msg, seg, 3, ctx);
      if (!occurrenceAt) {
        throw MappingError.requiredFieldMissing(locate(msg, seg, 3), 'start of administration');
      }
      const actionCode = field(seg, 21)?.toUpperCase();
      const action = actionCode === undefined ? 'add' : ACTION[actionCode];
      if (!action) throw MappingError.tableValueNotFound(locate(msg, seg, 21), '0206');
      const completionStatus = field(seg, 20)?.toUpperCase();
      let status =
        completionStatus === undefined
          ? ImmunizationStatus.COMPLETED
          : COMPLETION[completionStatus];
      if (!status) throw MappingError.tableValueNotFound(locate(msg, seg, 20), '0322');
      if (action === 'delete') status = ImmunizationStatus.ENTERED_IN_ERROR;
      current = { action, vaccineCode, status, occurrenceAt };
      if (completionStatus) current.completionStatus = completionStatus;
      const lot = field(seg, 15);
      if (lot) current.lotNumber = lot;
      const dose = numberField(msg, seg, 6);
      if (dose !== undefined && dose !== 999) {
        current.doseQuantity = dose;
        const unit = comp(rep(seg, 7), 1) ?? comp(rep(seg, 7), 2);
        if (unit) current.doseUnit = unit;
      }
      const manufacturer = readCoded(rep(seg, 17), ctx);
      if (manufacturer) current.manufacturer = manufacturer;
      const performer = readPractitioner(rep(seg, 10), ctx);
      if (performer) current.performer = performer;
      immunizations.push(current);
    } else if (seg.name === 'RXR' && current) {
      const route = codedText(readCoded(rep(seg, 1), ctx, [], '0162'));
      const site = codedText(readCoded(rep(seg, 2), ctx, [], '0163'));
      if (route) current.route = route;
      if (site) current.site = site;
    }
  }
  if (immunizations.length === 0) {
    throw MappingError.requiredFieldMissing(
      { segment: 'RXA' },
      'pharmacy/treatment administration',
    );
  }
  return {
    kind: 'immunizations',
    event: 'V04',
    mappingVersion: 'vxu-1',
    patient: patientOf(msg, pid, ctx),
    immunizations,
  };
}
