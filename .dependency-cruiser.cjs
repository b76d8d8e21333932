/**
 * Enforces the one-way package tiers of DESIGN.md ("Layout"):
 *
 *   schema  <-  plugins/sdk  <-  core, plugins/*, adapters/*  <-  examples/*, test/
 *
 * Run with `npm run depcheck`. Workspace packages are matched both by folder (an import of
 * `@caregraph/schema` resolves through the node_modules symlink to `schema/dist/...`, and a
 * relative import to `schema/src/...`: both start with `schema/`) and by package name (when the
 * target package is not built yet, the import stays unresolved as `@caregraph/schema`). So the
 * rules hold on the TypeScript sources whether or not `dist/` exists.
 *
 * Package names: @caregraph/schema, @caregraph/core, @caregraph/bench, @caregraph/plugin-<name>
 * (plugins/<name>), @caregraph/adapter-<name> (adapters/<name>), @caregraph/example-<name>.
 */

/** Regex for a module in a workspace folder or imported by one of the given package names. */
function pkg(folders, names) {
  return `^(?:(?:${folders})/|@caregraph/(?:${names})(?:$|/))`;
}

const ADAPTERS = pkg('adapters', 'adapter-[^/]+');
const CORE = pkg('core', 'core');
const PLUGINS_BUT_SDK = pkg('plugins/(?!sdk/)[^/]+', 'plugin-(?!sdk(?:$|/))[^/]+');
const ASSEMBLIES = pkg('examples|test|bench', 'example-[^/]+|examples|bench');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'schema-imports-no-package',
      comment:
        'schema is the model at the bottom of the tiers: it may import no other workspace package ' +
        '(core, plugins, adapters, bench, examples, test).',
      severity: 'error',
      from: { path: '^schema/' },
      to: {
        path: pkg('core|plugins|adapters|bench|examples|test', '(?!schema(?:$|/))[^/]+'),
      },
    },
    {
      name: 'plugin-sdk-imports-only-schema',
      comment:
        'plugins/sdk is the vendor contract: of the workspace packages it may import only schema. ' +
        'The one exception is runtime-only: the test kit (plugins/sdk/src/testing/load-kit.ts) ' +
        'loads @caregraph/core/testing with a dynamic import() of a variable specifier, an ' +
        'optional peer dependency, so no build-time or type dependency on core exists (core ' +
        'depends on the sdk). Any static import of core from the sdk fails here.',
      severity: 'error',
      from: { path: '^plugins/sdk/' },
      to: {
        path: pkg(
          'core|adapters|bench|examples|test|plugins/(?!sdk/)[^/]+',
          '(?!schema(?:$|/)|plugin-sdk(?:$|/))[^/]+',
        ),
      },
    },
    {
      name: 'hosts-import-no-assemblies',
      comment:
        'core, plugins and adapters may not import examples/, test/ or bench/: those assemble them.',
      severity: 'error',
      from: { path: '^(?:core|plugins|adapters)/' },
      to: { path: ASSEMBLIES },
    },
    {
      name: 'core-imports-no-adapter',
      comment: 'core never imports an adapter; adapters are registered explicitly by the assembly.',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: ADAPTERS },
    },
    {
      name: 'core-imports-no-feature-plugin',
      comment:
        'core is the host: it implements plugins/sdk but never imports a feature plugin; ' +
        'plugins are registered explicitly (createHub({ plugins })).',
      severity: 'error',
      from: { path: '^core/' },
      to: { path: PLUGINS_BUT_SDK },
    },
    {
      name: 'adapter-runtime-imports-no-test-support',
      comment:
        "an adapter's runtime code never imports its src/testing/ (test support may boot core); " +
        'only tests and other test support do.',
      severity: 'error',
      from: {
        path: '^adapters/[^/]+/src/',
        pathNot: ['^adapters/[^/]+/src/testing/', '\\.test\\.ts$'],
      },
      to: { path: '^adapters/[^/]+/src/testing/' },
    },
    {
      name: 'adapter-imports-no-other-adapter',
      comment: 'an adapter never imports another adapter.',
      severity: 'error',
      from: { path: '^(adapters/[^/]+)/' },
      to: { path: ADAPTERS, pathNot: '^$1/' },
    },
    {
      name: 'adapter-imports-no-core',
      comment:
        'an adapter never imports core: domain services reach it through the plugin context ' +
        'that plugins/sdk declares and core implements. The one exception is test support: ' +
        'adapters/<name>/src/testing/ (excluded from the build, never imported by runtime code) ' +
        'may boot a real hub from @caregraph/core, a devDependency, to run it as a process a ' +
        'test can kill (the HL7 crash suite). Runtime code importing src/testing fails the rule ' +
        'below.',
      severity: 'error',
      from: { path: '^adapters/', pathNot: '^adapters/[^/]+/src/testing/' },
      to: { path: CORE },
    },
    {
      name: 'vendor-example-imports-only-the-contract',
      comment:
        'examples/vendor-plugin shows what a vendor writes: it imports only plugins/sdk and schema, ' +
        'never core (its tests reach the hub through @caregraph/plugin-sdk/testing).',
      severity: 'error',
      from: { path: '^examples/vendor-plugin/' },
      to: {
        path: pkg(
          'core|adapters|bench|test|plugins/(?!sdk/)[^/]+',
          '(?!schema(?:$|/)|plugin-sdk(?:$|/)|example-vendor-plugin(?:$|/))[^/]+',
        ),
      },
    },
    {
      name: 'no-relative-import-across-packages',
      comment:
        'import another workspace package by its name (@caregraph/...), never by a relative path ' +
        'such as ../../other-package/src.',
      severity: 'error',
      from: { path: '^(schema|core|bench|plugins/[^/]+|adapters/[^/]+|examples/[^/]+)/' },
      to: { dependencyTypes: ['local'], pathNot: '^$1/' },
    },
    {
      name: 'core-events-import-no-access-rules',
      comment:
        'core/src/events (outbox, relay, buses, fan-out) knows no access rules or GraphQL: who an ' +
        'event can be for is injected as a function (events/event-audience.ts, wired in ' +
        'server/create-hub.ts). Its tests may assemble a hub.',
      severity: 'error',
      from: { path: '^core/src/events/', pathNot: '\\.test\\.ts$' },
      to: { path: '^core/src/(?:security|graphql|server)/' },
    },
    {
      name: 'no-unresolvable-relative-import',
      comment:
        'a relative import that does not resolve cannot be checked against the rules above ' +
        '(and will not compile): fix the path.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, path: '^\\.{1,2}/' },
    },
    {
      name: 'no-circular',
      comment:
        'circular runtime imports make module initialisation order fragile (undefined classes in ' +
        'decorators). Type-only cycles are fine.',
      severity: 'warn',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    // Analyse `import type` too: a type-only import across tiers is still a violation.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    moduleSystems: ['es6', 'cjs'],
    // Built output and installed packages are leaves: they appear as targets but are not cruised.
    doNotFollow: { path: ['(^|/)node_modules/', '(^|/)dist/'] },
    exclude: { path: ['(^|/)coverage/', '(^|/)\\.caregraph/', '(^|/)migrations/'] },
    // `npm run depcheck` cruises `.`; this keeps the workspace folders (whichever exist) and the
    // unresolved @caregraph/* imports, and drops root config files and third-party modules.
    includeOnly: {
      path: [
        '^(?:schema|core|bench|plugins|adapters|examples|test)/',
        '^@caregraph/',
        '^\\.{1,2}/',
      ],
    },
    // Follow the workspace symlinks to the real folders (node_modules/@caregraph/x -> x/).
    preserveSymlinks: false,
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
