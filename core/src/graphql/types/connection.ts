/** Relay connections live in the schema package, so plugins declare theirs with the same PageInfo. */
export { PageInfo, connectionOf, type ConnectionShape, type Page } from '@caregraph/schema';
