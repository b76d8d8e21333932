import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124063943_initial } from './Migration20261124063943_initial.js';
import { Migration20261124071419_identifier_value_index } from './Migration20261124071419_identifier_value_index.js';
import { Migration20261124081736_audit_hash_chain } from './Migration20261124081736_audit_hash_chain.js';
import { Migration20261201085841_patient_rights } from './Migration20261201085841_patient_rights.js';
import { Migration20261201090428_encryption_at_rest } from './Migration20261201090428_encryption_at_rest.js';
import { Migration20261201090514_break_glass_and_consent_labels } from './Migration20261201090514_break_glass_and_consent_labels.js';
import { Migration20261201121119_row_level_security } from './Migration20261201121119_row_level_security.js';
import { Migration20261201132125_outbox } from './Migration20261201132125_outbox.js';
import { Migration20261201152846_plugin_event_cursor } from './Migration20261201152846_plugin_event_cursor.js';
import { Migration20261201155451_outbox_unpublished_index } from './Migration20261201155451_outbox_unpublished_index.js';
import { Migration20261202182011_outbox_relay_numbering } from './Migration20261202182011_outbox_relay_numbering.js';

/** Committed migrations, oldest first. Add new ones with `caregraph migration:create <name>`. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261124063943_initial', class: Migration20261124063943_initial },
  { name: 'Migration20261124071419_identifier_value_index', class: Migration20261124071419_identifier_value_index },
  { name: 'Migration20261124081736_audit_hash_chain', class: Migration20261124081736_audit_hash_chain },
  { name: 'Migration20261201085841_patient_rights', class: Migration20261201085841_patient_rights },
  { name: 'Migration20261201090428_encryption_at_rest', class: Migration20261201090428_encryption_at_rest },
  { name: 'Migration20261201090514_break_glass_and_consent_labels', class: Migration20261201090514_break_glass_and_consent_labels },
  { name: 'Migration20261201121119_row_level_security', class: Migration20261201121119_row_level_security },
  { name: 'Migration20261201132125_outbox', class: Migration20261201132125_outbox },
  { name: 'Migration20261201152846_plugin_event_cursor', class: Migration20261201152846_plugin_event_cursor },
  { name: 'Migration20261201155451_outbox_unpublished_index', class: Migration20261201155451_outbox_unpublished_index },
  { name: 'Migration20261202182011_outbox_relay_numbering', class: Migration20261202182011_outbox_relay_numbering },
];
