import { z } from 'zod';

/**
 * A value set as rules and audiences name it: codes of one system; a code ending in `*` (or
 * `.*`, as ICD-10 groups are written: `E11.*`) matches every code that starts with its stem.
 */
export const valueSetSchema = z.strictObject({
  system: z.string().min(1).max(255),
  codes: z
    .array(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,63}(?:\.?\*)?$/, {
        message: 'a code, or a code stem followed by * (e.g. 44054006, E11.*)',
      }),
    )
    .min(1)
    .max(200),
});

/** A validated value set. */
export type ValueSet = z.output<typeof valueSetSchema>;

/** One code (or stem) to match, as the SQL reads it from a jsonb parameter. */
export interface CodeMatcher {
  system: string;
  code: string;
  prefix: boolean;
}

/** Flattens value sets into matchers (a `E11.*` becomes the stem `E11`, matched as a prefix). */
export function compileCodeMatchers(valueSets: readonly ValueSet[]): CodeMatcher[] {
  return valueSets.flatMap((set) =>
    set.codes.map((code) => {
      const prefix = code.endsWith('*');
      return { system: set.system, code: prefix ? code.replace(/\.?\*$/, '') : code, prefix };
    }),
  );
}

/**
 * SQL true when the coded concept in `column` (a jsonb `{system, code}`) matches one of the
 * matchers in the jsonb parameter `param` (a placeholder holding `JSON.stringify(matchers)`).
 */
export function codeMatchSql(column: string, param: string): string {
  return `exists (select 1 from jsonb_to_recordset(${param}::jsonb) as m(system text, code text, prefix boolean)
    where ${column}->>'system' = m.system
      and (${column}->>'code' = m.code or (m.prefix and left(${column}->>'code', length(m.code)) = m.code)))`;
}

/** Whether a coded concept matches one of the matchers (as `codeMatchSql` decides in SQL). */
export function matchesCode(
  matchers: readonly CodeMatcher[],
  concept: { system?: string | null; code?: string | null },
): boolean {
  const { system, code } = concept;
  if (!system || !code) return false;
  return matchers.some(
    (m) => m.system === system && (m.code === code || (m.prefix && code.startsWith(m.code))),
  );
}
