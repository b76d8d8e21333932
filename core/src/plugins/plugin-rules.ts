import type { FieldPermission } from '@caregraph/plugin-sdk';
import { ruleOf } from '../security/permissions.js';
import { allow, type ShieldRule } from '../security/rules.js';

/** The graphql-shield rule of a plugin field's declared permission (core's own rule builders). */
export function ruleOfPermission(permission: FieldPermission): ShieldRule {
  switch (permission.kind) {
    case 'allow':
      return allow;
    case 'authenticated':
      return ruleOf({ kind: 'authenticated' });
    case 'roles':
      return ruleOf({ kind: 'roles', roles: permission.roles });
  }
}
