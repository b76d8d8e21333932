import { Migration } from '@mikro-orm/migrations';

/**
 * Documents take part in core's sensitivity rules: `security_labels` (jsonb, v3 codes) is what
 * core's `withheldLabels` filters on. Existing rows are labelled with the adapter's default
 * mapping (src/apply/document-labels.ts), failing closed: TXA-18 V/VR is `V`; R/RE and any code
 * that is not usual control is `R`; TXA-2 PC/PH (psychiatric) is `PSY`. A site with its own
 * `documentSensitivity` config gets it applied from the next message about each document.
 */
export class Migration20261203110000_hl7_clinical_document_labels extends Migration {
  override name = 'Migration20261203110000_hl7_clinical_document_labels';

  override up(): void {
    this.addSql(`alter table "hl7_clinical_document" add column "security_labels" jsonb not null default '[]';`);
    this.addSql(`update "hl7_clinical_document" d set "security_labels" = (select coalesce(jsonb_agg(l.label order by l.label), '[]'::jsonb) from (select case when upper(d."confidentiality") in ('V', 'VR') then 'V' when d."confidentiality" is null or upper(d."confidentiality") in ('U', 'UC', 'N', 'M', 'L') then null else 'R' end as label union select 'PSY' where upper(d."type"->>'code') in ('PC', 'PH')) l where l.label is not null);`);
  }

  override down(): void {
    this.addSql(`alter table "hl7_clinical_document" drop column "security_labels";`);
  }
}
