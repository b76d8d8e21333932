/** Where a plugin is in its lifecycle; shown on `/health` and by the admin `plugins` query. */
export type PluginState = 'starting' | 'running' | 'degraded' | 'failed' | 'stopped';

/** The lifecycle states, in order. */
export const PLUGIN_STATES: readonly PluginState[] = [
  'starting',
  'running',
  'degraded',
  'failed',
  'stopped',
];

/** One plugin's status. `message` never holds PHI: it is the error's message or the health note. */
export interface PluginStatusReport {
  id: string;
  version: string;
  state: PluginState;
  message?: string;
  /** Restarts after a failure since boot. */
  restarts: number;
  /** When a failed plugin is tried again (exponential backoff). */
  nextRestartAt?: Date;
  /** When it entered `state`. */
  since: Date;
}
