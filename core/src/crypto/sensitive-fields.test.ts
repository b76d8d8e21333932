import type { MetadataStorage } from '@mikro-orm/core';
import { Sensitive } from '@caregraph/schema';
import { ErrorCode } from '../errors/caregraph-error.js';
import { validateSensitiveFields } from './sensitive-fields.js';

class Good {
  @Sensitive({ blindIndex: 'valueIndex' })
  value?: string;
}
class Bad {
  @Sensitive({ blindIndex: 'missing' })
  code?: string;
}

const column = (name: string, type: string) => ({
  fieldNames: [name],
  columnTypes: [type],
  kind: 'scalar',
});
const idAndTenant = { id: column('id', 'uuid'), tenantId: column('tenant_id', 'uuid') };

function metadata(...metas: object[]): MetadataStorage {
  return { getAll: () => new Map(metas.map((m, i) => [String(i), m])) } as never;
}

describe('validateSensitiveFields', () => {
  it('accepts a text column of a tenant-scoped entity with its blind index', () => {
    const good = {
      class: Good,
      className: 'Good',
      hooks: {},
      properties: {
        ...idAndTenant,
        value: column('value', 'text'),
        valueIndex: column('value_index', 'varchar(64)'),
      },
    };
    expect(() => validateSensitiveFields(metadata(good))).not.toThrow();
  });

  it('names each misdeclared field: column type, blind index, hooks', () => {
    const bad = {
      class: Bad,
      className: 'Bad',
      hooks: { beforeCreate: ['refresh'] },
      properties: { ...idAndTenant, code: column('code', 'varchar(255)') },
    };
    expect(() => validateSensitiveFields(metadata(bad))).toThrow(
      expect.objectContaining({
        code: ErrorCode.CONFIG_INVALID,
        details: {
          problems: [
            "Bad.code: @Sensitive() needs a 'text' column (ciphertext is longer)",
            'Bad.code: blind index property "missing" does not exist',
            'Bad.code: entities with encrypted fields may not have before-write hooks',
          ],
        },
      }),
    );
  });
});
