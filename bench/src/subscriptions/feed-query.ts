/**
 * What every subscriber asks for: the care-team feed with the patient and the task an event is
 * about (what a care-team dashboard shows for a new task).
 */
export const FEED_SUBSCRIPTION = /* GraphQL */ `
  subscription CareTeamFeed {
    careTeamFeed {
      id
      type
      occurredAt
      summary
      patient {
        id
        name {
          text
        }
      }
      subject {
        __typename
        ... on Task {
          id
          title
          description
          status
        }
      }
    }
  }
`;

/** The part of a delivered event the load clients read. */
export interface FeedEvent {
  id: string;
  occurredAt: string;
}

/** The summary core gives `TaskAssigned` events. */
export const TASK_ASSIGNED_SUMMARY = 'Task assigned';
