import {
  RESTRICTED_CONFIDENTIALITY_LABELS,
  SENSITIVITY_LABELS,
  SensitiveCategory,
} from '@caregraph/schema';
import {
  ACCESS_ACTIONS,
  DATA_CATEGORIES,
  PRINCIPALS,
  grantOf,
  type AccessAction,
} from './access-matrix.js';
import { PATIENT_FIELD_CATEGORIES } from './permissions.js';
import { ROOT_FIELD_ACCESS, describeRootFieldAccess } from './root-field-access.js';
import { OPT_IN_CATEGORIES } from './sensitive-access.js';

/** Markers around the generated part of docs/security.md. */
export const GENERATED_BEGIN =
  '<!-- permission-matrix:begin (generated: npm run docs:security) -->';
export const GENERATED_END = '<!-- permission-matrix:end -->';

const SCOPE_LABELS = { tenant: 'all', careTeam: 'team', self: 'self', proxy: 'proxy' } as const;

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

function actionTable(action: AccessAction): string[] {
  const categories = DATA_CATEGORIES.filter((category) =>
    PRINCIPALS.some((principal) => grantOf(principal, category, action)),
  );
  return table(
    ['who', ...categories.map((category) => `\`${category}\``)],
    PRINCIPALS.map((principal) => [
      `\`${principal}\``,
      ...categories.map((category) => {
        const grant = grantOf(principal, category, action);
        return grant ? `${SCOPE_LABELS[grant.scope]}: ${grant.purposes.join(' ')}` : '—';
      }),
    ]),
  );
}

/**
 * The generated part of docs/security.md: the permission matrix per action, the category of
 * every Patient field, who may call each root field, and the sensitivity labels.
 */
export function renderPermissionMatrix(): string {
  const lines: string[] = [GENERATED_BEGIN, ''];
  for (const action of ACCESS_ACTIONS) {
    lines.push(`### ${action}`, '', ...actionTable(action), '');
  }
  lines.push(
    '### Patient fields by category',
    '',
    ...table(
      ['category', 'fields'],
      DATA_CATEGORIES.map((category) => [
        `\`${category}\``,
        Object.entries(PATIENT_FIELD_CATEGORIES)
          .filter(([, c]) => c === category)
          .map(([field]) => `\`${field}\``)
          .join(', ') || '—',
      ]),
    ),
    '',
    '### Root fields',
    '',
    ...table(
      ['field', 'who may call it'],
      Object.entries(ROOT_FIELD_ACCESS).flatMap(([type, fields]) =>
        Object.entries(fields).map(([field, access]) => [
          `\`${type}.${field}\``,
          describeRootFieldAccess(access),
        ]),
      ),
    ),
    '',
    '### Sensitivity labels',
    '',
    ...table(
      ['category', 'labels', 'shared with the care team'],
      Object.values(SensitiveCategory)
        .map((category) => [
          `\`${category}\``,
          Object.entries(SENSITIVITY_LABELS)
            .filter(([, c]) => c === category)
            .map(([label]) => `\`${label}\``)
            .join(', '),
          OPT_IN_CATEGORIES.includes(category)
            ? 'only with a PERMIT consent naming it (opt-in)'
            : 'unless a DENY consent names it (opt-out)',
        ])
        .concat([
          [
            'confidentiality (v3)',
            RESTRICTED_CONFIDENTIALITY_LABELS.map((label) => `\`${label}\``).join(', '),
            'with the `sensitiveClinical` grant (no consent opens or closes it)',
          ],
        ]),
    ),
    '',
    GENERATED_END,
  );
  return lines.join('\n');
}

/** `document` with its generated part replaced by the current one. */
export function withPermissionMatrix(document: string): string {
  const begin = document.indexOf(GENERATED_BEGIN);
  const end = document.indexOf(GENERATED_END);
  if (begin < 0 || end < begin)
    throw new Error('docs/security.md lacks the generated-part markers');
  return (
    document.slice(0, begin) + renderPermissionMatrix() + document.slice(end + GENERATED_END.length)
  );
}
