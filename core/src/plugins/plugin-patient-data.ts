import type { EntityManager } from '@mikro-orm/sql';
import type {
  PatientDataScope,
  PluginFhirResource,
  PluginPatientData,
} from '@caregraph/plugin-sdk';
import type { AuthenticatedContext } from '../context/request-context.js';
import { keyringOf } from '../crypto/keyring-registry.js';
import { EncryptionError } from '../errors/caregraph-error.js';
import type { ValidatedPlugin } from './validate-plugins.js';

type Operation = 'merge' | 'erase' | 'retention' | 'export';

/**
 * The registered plugins' patient-data handlers (`definePlugin({ patientData })`), as core's
 * merge, erasure and export call them: with the operation's EntityManager (its transaction),
 * in registration order. A handler that throws is logged with its plugin and fails the
 * operation, so a merge or an erasure never commits half of the patient's data.
 */
export class PluginPatientDataHandlers {
  /** No plugin handles patient data (a hub without plugins, tests of core). */
  static readonly NONE = new PluginPatientDataHandlers([]);

  private constructor(
    private readonly plugins: readonly { id: string; data: PluginPatientData }[],
  ) {}

  static of(plugins: readonly ValidatedPlugin[]): PluginPatientDataHandlers {
    return new PluginPatientDataHandlers(
      plugins.flatMap(({ definition }) =>
        definition.patientData ? [{ id: definition.id, data: definition.patientData }] : [],
      ),
    );
  }

  private scope(ctx: AuthenticatedContext, em: EntityManager): PatientDataScope {
    return {
      tenantId: ctx.tenantId,
      em,
      blindIndex: (value) => {
        const keyring = keyringOf(em);
        if (!keyring) throw EncryptionError.keyUnavailable(ctx.tenantId);
        return keyring.blindIndex(ctx.tenantId, value);
      },
    };
  }

  private async run<T>(
    ctx: AuthenticatedContext,
    plugin: string,
    operation: Operation,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      ctx.logger.error(
        { plugin, operation, err: { name: (error as Error)?.name, code: codeOf(error) } },
        'a plugin patient-data handler failed',
      );
      throw error;
    }
  }

  /** Moves the plugins' rows of `loserId` to `survivorId`; counts as `<plugin>.<kind>`. */
  async merge(
    ctx: AuthenticatedContext,
    em: EntityManager,
    survivorId: string,
    loserId: string,
  ): Promise<Record<string, number>> {
    const moved: Record<string, number> = {};
    for (const { id, data } of this.plugins) {
      if (!data.onMerge) continue;
      const counts = await this.run(ctx, id, 'merge', () =>
        data.onMerge!(this.scope(ctx, em), survivorId, loserId),
      );
      for (const [kind, count] of Object.entries(counts ?? {}))
        if (count > 0) moved[`${id}.${kind}`] = count;
    }
    return moved;
  }

  /** Erases the plugins' rows about the patients; returns how many rows went or were cleared. */
  async erase(
    ctx: AuthenticatedContext,
    em: EntityManager,
    patientIds: readonly string[],
  ): Promise<number> {
    let erased = 0;
    for (const { id, data } of this.plugins)
      if (data.onErase)
        erased += await this.run(ctx, id, 'erase', () =>
          data.onErase!(this.scope(ctx, em), patientIds),
        );
    return erased;
  }

  /** The latest clinical activity the plugins hold about the patients. */
  async lastClinicalActivity(
    ctx: AuthenticatedContext,
    em: EntityManager,
    patientIds: readonly string[],
  ): Promise<Date | undefined> {
    let latest: Date | undefined;
    for (const { id, data } of this.plugins) {
      if (!data.lastClinicalActivity) continue;
      const at = await this.run(ctx, id, 'retention', () =>
        data.lastClinicalActivity!(this.scope(ctx, em), patientIds),
      );
      if (at && (!latest || at > latest)) latest = at;
    }
    return latest;
  }

  /** How many resources the plugins add to the patients' export. */
  async exportCount(
    ctx: AuthenticatedContext,
    em: EntityManager,
    patientIds: readonly string[],
  ): Promise<number> {
    let count = 0;
    for (const { id, data } of this.plugins)
      if (data.export)
        count += await this.run(ctx, id, 'export', () =>
          data.export!.count(this.scope(ctx, em), patientIds),
        );
    return count;
  }

  /** The plugins' resources of the patients' export, plugin by plugin. */
  async *exportResources(
    ctx: AuthenticatedContext,
    em: EntityManager,
    patientIds: readonly string[],
    practitioner: (id: string) => { reference: string },
  ): AsyncGenerator<PluginFhirResource> {
    for (const { id, data } of this.plugins) {
      if (!data.export) continue;
      const scope = { ...this.scope(ctx, em), practitioner };
      const resources = data.export.resources(scope, patientIds)[Symbol.asyncIterator]();
      for (;;) {
        const next = await this.run(ctx, id, 'export', () => resources.next());
        if (next.done) break;
        yield next.value;
      }
    }
  }
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The handlers a context carries (none when it was built without plugins). */
export function patientDataOf(ctx: { patientData?: PluginPatientDataHandlers }) {
  return ctx.patientData ?? PluginPatientDataHandlers.NONE;
}
