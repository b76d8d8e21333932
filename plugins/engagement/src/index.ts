/**
 * @caregraph/plugin-engagement: reminders, follow-ups, alerts and campaigns with consent, quiet
 * hours and frequency caps (in progress; see README).
 */
export {};
