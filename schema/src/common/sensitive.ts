/** How core protects a property marked with `@Sensitive()`. */
export interface SensitiveOptions {
  /**
   * Name of a property of the same entity that holds a keyed blind index (HMAC) of the value,
   * for exact-match lookups on the encrypted column. Core computes it on every write.
   */
  blindIndex?: string;
}

/** Marked properties by the class that declares them (classes are keys, so `object`). */
const registry = new Map<object, Map<string, SensitiveOptions>>();

/**
 * Marks an entity property as sensitive: core encrypts it at rest (AES-256-GCM with a per-tenant
 * data key) on every write and decrypts it on every read, so the database only ever holds
 * ciphertext. The column must be `text`; the value must be a string. The schema package only
 * records the marker; the encryption lives in core (`core/src/crypto`).
 *
 * @example
 * ```ts
 * @Sensitive({ blindIndex: 'valueIndex' })
 * @Property({ type: 'text' })
 * value!: string;
 * ```
 */
export function Sensitive(options: SensitiveOptions = {}): PropertyDecorator {
  return (target, property) => {
    const owner = target.constructor;
    let properties = registry.get(owner);
    if (!properties) {
      properties = new Map();
      registry.set(owner, properties);
    }
    properties.set(String(property), { ...options });
  };
}

/** The sensitive properties of an entity class, inherited ones included. */
export function sensitiveProperties(entity: object): ReadonlyMap<string, SensitiveOptions> {
  const result = new Map<string, SensitiveOptions>();
  const chain: object[] = [];
  for (
    let current: unknown = entity;
    typeof current === 'function' && current !== Function.prototype;
  ) {
    chain.unshift(current);
    current = Object.getPrototypeOf(current);
  }
  for (const owner of chain)
    for (const [name, options] of registry.get(owner) ?? []) result.set(name, options);
  return result;
}
