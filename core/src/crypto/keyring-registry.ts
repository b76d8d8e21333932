import type { Keyring } from './keyring.js';

const keyrings = new WeakMap<object, Keyring>();

/** Links a keyring to an ORM's configuration (shared by all of its EntityManager forks). */
export function registerKeyring(config: object, keyring: Keyring): void {
  keyrings.set(config, keyring);
}

/** The keyring of the ORM an EntityManager belongs to, if it has one. */
export function keyringOf(em: { config: object }): Keyring | undefined {
  return keyrings.get(em.config);
}
