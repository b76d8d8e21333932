import type { FieldPermission, PatientDataCategory } from '@caregraph/plugin-sdk';
import { DATA_CATEGORIES, type DataCategory } from '../security/access-matrix.js';
import { ruleOf } from '../security/permissions.js';
import { allow, type ShieldRule } from '../security/rules.js';

/** Whether a plugin names one of core's data categories (a JavaScript plugin may misspell one). */
export function isDataCategory(category: unknown): category is PatientDataCategory {
  return (DATA_CATEGORIES as readonly unknown[]).includes(category);
}

/** The graphql-shield rule of a plugin field's declared permission (core's own rule builders). */
export function ruleOfPermission(permission: FieldPermission): ShieldRule {
  switch (permission.kind) {
    case 'allow':
      return allow;
    case 'authenticated':
      return ruleOf({ kind: 'authenticated' });
    case 'roles':
      return ruleOf({ kind: 'roles', roles: permission.roles });
    case 'patient': {
      const category: DataCategory = permission.category;
      return ruleOf({ kind: 'patient', category, action: 'read', path: permission.argument });
    }
    case 'category': {
      const category: DataCategory = permission.category;
      return ruleOf({ kind: 'matrix', category, action: 'read', reach: 'any' });
    }
  }
}
