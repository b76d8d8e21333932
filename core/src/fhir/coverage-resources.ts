import type * as fhir from 'fhir/r4.js';
import type { Coverage } from '@caregraph/schema';
import type { ExportRefs } from './export-refs.js';
import { FHIR_SYSTEMS, code, codeable, instant, period, withoutEmpty } from './fhir-values.js';

/** A Coverage resource (insurance plan or other payer). */
export function toFhirCoverage(coverage: Coverage, refs: ExportRefs): fhir.Coverage {
  const classes: fhir.CoverageClass[] = [];
  if (coverage.groupNumber)
    classes.push({
      type: code(FHIR_SYSTEMS.coverageClass, 'group'),
      value: coverage.groupNumber,
    });
  if (coverage.planName)
    classes.push({
      type: code(FHIR_SYSTEMS.coverageClass, 'plan'),
      value: coverage.planName,
      name: coverage.planName,
    });
  return withoutEmpty({
    resourceType: 'Coverage' as const,
    id: coverage.id,
    meta: { lastUpdated: instant(coverage.updatedAt) },
    status: coverage.status as fhir.Coverage['status'],
    type: codeable(coverage.type),
    subscriberId: coverage.memberId,
    beneficiary: refs.patient(),
    relationship: code(FHIR_SYSTEMS.subscriberRelationship, coverage.relationship),
    period: period(coverage.periodStart, coverage.periodEnd),
    payor: [{ display: coverage.payor }],
    class: classes,
  });
}
