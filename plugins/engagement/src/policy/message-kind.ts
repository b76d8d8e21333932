/**
 * Whether a message is outreach the hub starts (a reminder, a notice, a campaign) or a reply the
 * recipient asked for by writing first: the answer to HELP, the confirmation of STOP or START,
 * the acknowledgement of a C or R reply. Replies are owed at once (carrier rules require the HELP
 * and STOP answers), so neither quiet hours nor frequency caps hold them back, and they do not
 * count towards the caps.
 */
export type MessageKind = 'outreach' | 'reply';
