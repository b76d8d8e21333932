/**
 * The "patient chart" a care-team app opens: the patient, identifiers, care team members, the
 * next 5 appointments, the last 20 observations, active conditions and medications.
 */
export const CHART_QUERY = /* GraphQL */ `
  query PatientChart($id: ID!) {
    patient(id: $id) {
      id
      name {
        text
        family
        given
      }
      birthDate
      gender
      identifiers {
        system
        value
        type
      }
      careTeams {
        id
        name
        members {
          role {
            code
            display
          }
          practitioner {
            id
            name {
              text
            }
          }
        }
      }
      appointments(first: 5, upcoming: true) {
        edges {
          node {
            id
            status
            start
            end
            serviceType {
              code
              display
            }
            location
          }
        }
      }
      observations(first: 20) {
        edges {
          node {
            id
            status
            category
            code {
              system
              code
              display
            }
            valueQuantity
            unit
            interpretation
            effectiveAt
          }
        }
      }
      conditions(activeOnly: true) {
        edges {
          node {
            id
            clinicalStatus
            code {
              system
              code
              display
            }
            onsetDate
            recordedAt
          }
        }
      }
      medications(activeOnly: true) {
        edges {
          node {
            id
            status
            medication {
              system
              code
              display
            }
            dosageText
          }
        }
      }
    }
  }
`;

/** The request body of the chart query for one patient. */
export function chartRequestBody(patientId: string): string {
  return JSON.stringify({
    operationName: 'PatientChart',
    query: CHART_QUERY,
    variables: { id: patientId },
  });
}
