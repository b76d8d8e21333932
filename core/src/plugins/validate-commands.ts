import type { PluginCommand, PluginDefinition } from '@caregraph/plugin-sdk';
import { PluginError } from './plugin-error.js';

const WORD = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** Option names the CLI gives every plugin command itself. */
export const RESERVED_COMMAND_OPTIONS: ReadonlySet<string> = new Set([
  'help',
  'version',
  'data-dir',
]);

/** Where a command was declared, for errors. */
interface Declared {
  pluginId: string;
  index: number;
  c: number;
}

function checkCommand(command: PluginCommand, at: (...path: (string | number)[]) => never): void {
  if (typeof command?.name !== 'string' || !command.name.split(' ').every((w) => WORD.test(w)))
    at(
      'name',
      `command name must be kebab-case words separated by single spaces (like "hl7 import"), got ${JSON.stringify(command?.name)}.`,
    );
  if (typeof command.description !== 'string' || !command.description.trim())
    at('description', `command "${command.name}" needs a description (shown by --help).`);
  if (typeof command.run !== 'function')
    at('run', `command "${command.name}" needs a run(args, options, ctx, io) function.`);
  const names = new Set<string>();
  let optional = false;
  (command.arguments ?? []).forEach((argument, a) => {
    if (typeof argument?.name !== 'string' || !WORD.test(argument.name) || names.has(argument.name))
      at('arguments', a, 'name', `argument names must be kebab-case and unique.`);
    names.add(argument.name);
    if (argument.required === false) optional = true;
    else if (optional)
      at('arguments', a, 'required', `a required argument cannot follow an optional one.`);
  });
  const options = new Set<string>();
  (command.options ?? []).forEach((option, o) => {
    if (typeof option?.name !== 'string' || !WORD.test(option.name) || options.has(option.name))
      at('options', o, 'name', `option names must be kebab-case and unique.`);
    if (RESERVED_COMMAND_OPTIONS.has(option.name))
      at('options', o, 'name', `option --${option.name} is reserved by the CLI.`);
    options.add(option.name);
  });
}

/**
 * Checks the CLI commands of the registered plugins: well-formed names, arguments and options,
 * and no two commands (of any plugins, or of `reserved`: core's own) where one's name is the
 * other's or a leading part of it (`hl7` and `hl7 import` cannot both be commands).
 */
export function validatePluginCommands(
  plugins: readonly { definition: PluginDefinition; index: number }[],
  reserved: readonly string[] = [],
): void {
  const seen = new Map<string, Declared | 'core'>(reserved.map((name) => [name, 'core']));
  for (const { definition, index } of plugins) {
    (definition.commands ?? []).forEach((command, c) => {
      const path = ['plugins', index, 'commands', c];
      checkCommand(command, (...rest) => {
        const problem = String(rest.pop());
        throw PluginError.invalidDefinition([...path, ...rest], definition.id, problem);
      });
      for (const [name, owner] of seen) {
        const clash =
          name === command.name ||
          name.startsWith(`${command.name} `) ||
          command.name.startsWith(`${name} `);
        if (!clash) continue;
        throw PluginError.commandClash(
          [...path, 'name'],
          definition.id,
          command.name,
          owner === 'core'
            ? `core's "${name}" command`
            : `plugin "${owner.pluginId}" (plugins[${owner.index}].commands[${owner.c}], "${name}")`,
        );
      }
      seen.set(command.name, { pluginId: definition.id, index, c });
    });
  }
}
