import { PluginErrorCode, type PluginCommand, type PluginDefinition } from '@caregraph/plugin-sdk';
import { PluginError } from './plugin-error.js';
import { validatePluginCommands } from './validate-commands.js';
import { validatePlugins } from './validate-plugins.js';

const command = (name: string, extra: Partial<PluginCommand> = {}): PluginCommand => ({
  name,
  description: `does ${name}`,
  run: async () => 0,
  ...extra,
});

const plugin = (id: string, commands: PluginCommand[]): PluginDefinition => ({
  id,
  version: '1.0.0',
  apiVersion: '^1.4.0',
  commands,
});

/** The PluginError that validation throws. */
async function failure(plugins: PluginDefinition[], reserved: string[] = []): Promise<PluginError> {
  const error = await validatePlugins(plugins)
    .then((validated) => validatePluginCommands(validated, reserved))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(PluginError);
  return error as PluginError;
}

describe('plugin CLI commands (issue "caregraph hl7 import")', () => {
  it('accepts kebab-case words with arguments and options', async () => {
    const validated = await validatePlugins([
      plugin('hl7v2', [
        command('hl7 import', {
          arguments: [
            { name: 'path', description: 'a file' },
            { name: 'more', description: 'x', required: false },
          ],
          options: [{ name: 'dry-run', description: 'x' }],
        }),
        command('hl7 export'),
      ]),
    ]);
    expect(() => validatePluginCommands(validated, ['serve', 'migrate'])).not.toThrow();
  });

  it('refuses a malformed name, a missing run, bad arguments and reserved options', async () => {
    const name = await failure([plugin('a', [command('Import Files')])]);
    expect([name.code, name.path]).toEqual([
      PluginErrorCode.INVALID_DEFINITION,
      'plugins[0].commands[0].name',
    ]);
    const run = await failure([plugin('a', [command('a go', { run: undefined as never })])]);
    expect(run.path).toBe('plugins[0].commands[0].run');
    const order = await failure([
      plugin('a', [
        command('a go', {
          arguments: [
            { name: 'x', description: 'x', required: false },
            { name: 'y', description: 'y' },
          ],
        }),
      ]),
    ]);
    expect(order.path).toBe('plugins[0].commands[0].arguments[1].required');
    const reserved = await failure([
      plugin('a', [command('a go', { options: [{ name: 'data-dir', description: 'x' }] })]),
    ]);
    expect(reserved.path).toBe('plugins[0].commands[0].options[0].name');
    expect(reserved.message).toContain('--data-dir is reserved');
  });

  it("refuses a command that clashes with core's, another plugin's, or a group", async () => {
    const core = await failure([plugin('a', [command('migrate')])], ['serve', 'migrate']);
    expect([core.code, core.path]).toEqual([
      PluginErrorCode.COMMAND_CLASH,
      'plugins[0].commands[0].name',
    ]);
    expect(core.message).toContain(`core's "migrate" command`);
    const coreGroup = await failure([plugin('a', [command('audit export')])], ['audit']);
    expect(coreGroup.code).toBe(PluginErrorCode.COMMAND_CLASH);
    const other = await failure([
      plugin('a', [command('sync run')]),
      plugin('b', [command('sync run')]),
    ]);
    expect(other.path).toBe('plugins[1].commands[0].name');
    expect(other.message).toContain('plugin "a" (plugins[0].commands[0], "sync run")');
    const group = await failure([plugin('a', [command('sync'), command('sync run')])]);
    expect(group.path).toBe('plugins[0].commands[1].name');
  });
});
