import type { PluginContext } from './context.js';

/** A positional argument of a plugin command (`caregraph hl7 import <path>`). */
export interface PluginCommandArgument {
  /** Kebab-case; the key of `args` in `run`. */
  name: string;
  description: string;
  /** Default true; optional arguments come after the required ones. */
  required?: boolean;
}

/** A flag of a plugin command: `--<name>` (a switch) or `--<name> <value>` (`takesValue`). */
export interface PluginCommandOption {
  /** Kebab-case (`dry-run`); `run` gets it under its camelCase name (`dryRun`). */
  name: string;
  description: string;
  /** `--name <value>` instead of a switch. */
  takesValue?: boolean;
  /** The value when the option is not given (a string for `takesValue` options). */
  default?: string | boolean;
}

/**
 * What a command prints through, instead of `console`: the CLI draws progress on stderr (a bar
 * on a terminal, periodic lines otherwise) and writes log lines to stdout. Never pass PHI.
 */
export interface PluginCommandIo {
  /** Reports progress: `done` of `total` units (messages, files). */
  progress(done: number, total: number): void;
  /** Prints one line of output (a summary, a problem), on stdout. */
  log(line: string): void;
  /** Aborts on SIGINT/SIGTERM: stop after the unit of work at hand and report what was done. */
  signal: AbortSignal;
}

/**
 * A CLI command a plugin adds (since API 1.4.0): `caregraph <name> <args...> [--options]`. The
 * CLI registers the commands of the plugins in the config file and runs one against a hub booted
 * in command mode (database, migrations and plugin contexts; no HTTP server, no `start` hooks, no
 * job queue: `ctx.jobs.schedule` throws there).
 */
export interface PluginCommand {
  /** One or more kebab-case words separated by single spaces (`hl7 import`). */
  name: string;
  description: string;
  arguments?: readonly PluginCommandArgument[];
  options?: readonly PluginCommandOption[];
  /**
   * Runs without a hub (since API 1.5.0): no database is opened, so the command also works beside
   * a hub serving on the embedded database (a network client, such as `hl7 send`). Its `ctx`
   * holds only `pluginId`, the validated `config`, `logger` and `signal`; the hub services
   * (`inTenant`, `asCaller`, `subscribe`, `jobs`, `metrics`) throw
   * `CG_ERR_PLUGIN_STANDALONE_COMMAND`.
   */
  standalone?: boolean;
  /**
   * Runs the command; resolves with the process exit code (default 0). A throw prints its message
   * (never put PHI in it) and exits with 1.
   */
  run(
    args: Record<string, string | undefined>,
    options: Record<string, string | boolean | undefined>,
    ctx: PluginContext,
    io: PluginCommandIo,
  ): Promise<number | void>;
}
