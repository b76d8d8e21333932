/** The columns of the `care_team_member` rows the generators insert, in their order. */
export const CARE_TEAM_MEMBER_COLUMNS = [
  'id',
  'tenant_id',
  'created_at',
  'updated_at',
  'care_team_id',
  'practitioner_id',
  'role',
  'period_start',
  'period_end',
];

/** The columns of the `user` rows the generators insert, in their order. */
export const USER_COLUMNS = [
  'id',
  'tenant_id',
  'created_at',
  'updated_at',
  'email',
  'display_name',
  'kind',
  'roles',
  'active',
  'practitioner_id',
];
