/**
 * The subset of the Standard Schema v1 interface (https://standardschema.dev) the hub needs to
 * validate a plugin's config. zod 4 (which core uses for its own config), valibot and ArkType
 * schemas implement it, so a plugin picks its validator and the sdk has no runtime dependency.
 * The types are copied from the spec, as the spec invites.
 */
export interface ConfigSchema<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => ConfigValidationResult<Output> | Promise<ConfigValidationResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

/** What a schema's `validate` returns: the parsed value, or the issues. */
export type ConfigValidationResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<ConfigIssue> };

/** One problem with a config value; `path` leads to the key (`["webhook", "secret"]`). */
export interface ConfigIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The parsed config type of a schema (what `ctx.config` is). */
export type ConfigOf<S> =
  S extends ConfigSchema<unknown, infer Output> ? Output : Record<string, never>;
