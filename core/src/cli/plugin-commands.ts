import type { Command } from 'commander';
import type { PluginCommand } from '@caregraph/plugin-sdk';
import type { CareGraphConfig } from '../config/config-schema.js';
import { createLogger } from '../logging/logger.js';
import {
  createStandaloneContext,
  validatePluginCommands,
  validatePlugins,
  type ValidatedPlugin,
} from '../plugins/index.js';
import { createHub } from '../server/create-hub.js';
import { createCommandIo, type CommandStreams } from './command-io.js';

/** Loads the config for a run, with the command's `--data-dir`. */
export type ConfigLoader = (flags: { dataDir?: string }) => Promise<CareGraphConfig>;

/** What a registered plugin command needs at run time. */
export interface PluginCommandRuntime {
  loadConfig: ConfigLoader;
  streams: CommandStreams;
  /** Sets the process exit code. */
  exit(code: number): void;
}

/** The command (creating each group on the way) that `name`'s last word is added to. */
function parentFor(program: Command, words: string[], pluginId: string): Command {
  let parent = program;
  for (const word of words) {
    parent =
      parent.commands.find((c) => c.name() === word) ??
      parent.command(word).description(`commands of the ${pluginId} plugin`);
  }
  return parent;
}

/**
 * Runs one plugin command: boots the hub in command mode (database, migrations, plugin contexts;
 * no HTTP server, no plugin `start` hooks), runs it with the plugin's context, stops the hub. A
 * `standalone` command runs without a hub: its context has the plugin's config and no database.
 * SIGINT/SIGTERM abort `io.signal`, so the command can stop between units and report.
 */
async function runPluginCommand(
  plugin: ValidatedPlugin,
  command: PluginCommand,
  values: { args: Record<string, string | undefined>; flags: Record<string, unknown> },
  runtime: PluginCommandRuntime,
): Promise<void> {
  const { dataDir, ...options } = values.flags as { dataDir?: string } & Record<string, unknown>;
  const config = command.standalone ? undefined : await runtime.loadConfig({ dataDir });
  // Logs go to stderr (the command's output is on stdout), quiet unless a level is asked for.
  const logger = createLogger({
    level: process.env.CAREGRAPH_LOG_LEVEL && config ? config.logLevel : 'warn',
    destination: process.stderr,
  });
  const hub = config ? await createHub({ config, logger, mode: 'command' }) : undefined;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const io = createCommandIo(runtime.streams, abort.signal);
  try {
    const ctx = hub
      ? hub.pluginContext(plugin.definition.id)
      : createStandaloneContext(plugin, logger, abort.signal);
    const code = await command.run(
      values.args,
      options as Record<string, string | boolean | undefined>,
      ctx,
      io,
    );
    runtime.exit(code ?? 0);
  } catch (error) {
    // The message only (the contract says it carries no PHI); never a stack with values.
    io.finish();
    runtime.streams.stderr.write(
      `caregraph ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    runtime.exit(1);
  } finally {
    io.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await hub?.stop();
  }
}

/**
 * Adds the commands of the config's plugins to the CLI (`caregraph hl7 import <path>`), after
 * validating the registrations like the boot does and checking that no command clashes with
 * core's or another plugin's (`CG_ERR_PLUGIN_COMMAND_CLASH`).
 */
export async function registerPluginCommands(
  program: Command,
  config: CareGraphConfig,
  runtime: PluginCommandRuntime,
): Promise<void> {
  const plugins = await validatePlugins(config.plugins ?? []);
  const core = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  validatePluginCommands(plugins, core);
  for (const plugin of [...plugins].sort((a, b) => a.index - b.index))
    for (const command of plugin.definition.commands ?? []) addCommand(program, plugin, command);

  function addCommand(root: Command, plugin: ValidatedPlugin, command: PluginCommand) {
    const { definition } = plugin;
    const words = command.name.split(' ');
    const leaf = parentFor(root, words.slice(0, -1), definition.id)
      .command(words.at(-1)!)
      .description(command.description);
    const declared = command.arguments ?? [];
    for (const argument of declared)
      leaf.argument(
        argument.required === false ? `[${argument.name}]` : `<${argument.name}>`,
        argument.description,
      );
    for (const option of command.options ?? []) {
      const flags = option.takesValue ? `--${option.name} <value>` : `--${option.name}`;
      leaf.option(flags, option.description, option.default as string | boolean | undefined);
    }
    if (!command.standalone)
      leaf.option('--data-dir <dir>', 'embedded database directory (CAREGRAPH_DATA_DIR)');
    leaf.action(async (...received: unknown[]) => {
      const self = received.at(-1) as Command;
      const args = Object.fromEntries(
        declared.map((argument, i) => [argument.name, self.processedArgs[i] as string | undefined]),
      );
      // commander names option values in camelCase (`--dry-run` is `dryRun`).
      await runPluginCommand(plugin, command, { args, flags: self.opts() }, runtime);
    });
  }
}
