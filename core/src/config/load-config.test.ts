import { configFromEnv, loadConfig, validateConfig } from './load-config.js';
import { ConfigError } from '../errors/caregraph-error.js';

/** What a production deployment sets at least. */
const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  CAREGRAPH_DATABASE_URL: 'postgres://db/caregraph',
  CAREGRAPH_JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json',
  CAREGRAPH_JWT_ISSUER: 'https://id.example',
  CAREGRAPH_JWT_AUDIENCE: 'caregraph',
  CAREGRAPH_MASTER_KEY_FILE: '/run/secrets/caregraph-master-key',
};

describe('configuration', () => {
  it('defaults to the embedded database on port 4000 in ./.caregraph', () => {
    const config = validateConfig(configFromEnv({}));
    expect(config).toMatchObject({
      port: 4000,
      dataDir: './.caregraph',
      nodeEnv: 'development',
      memory: false,
    });
    expect(config.databaseUrl).toBeUndefined();
  });

  it('reads CAREGRAPH_* variables', () => {
    const config = validateConfig(
      configFromEnv({
        CAREGRAPH_PORT: '4100',
        CAREGRAPH_DATABASE_URL: 'postgres://u:p@db:5432/caregraph',
        CAREGRAPH_REDIS_URL: 'redis://cache:6379',
        CAREGRAPH_MEMORY: 'true',
        CAREGRAPH_JWT_ISSUER: 'https://id.example',
      }),
    );
    expect(config).toMatchObject({
      port: 4100,
      databaseUrl: 'postgres://u:p@db:5432/caregraph',
      redisUrl: 'redis://cache:6379',
      memory: true,
    });
    expect(config.jwt.issuer).toBe('https://id.example');
  });

  it('reads the patient-rights settings (issue 3), with defaults', () => {
    expect(validateConfig(configFromEnv({}))).toMatchObject({
      retentionYears: 10,
      retentionMajorityAge: 18,
      exportTtl: '15m',
    });
    const config = validateConfig(
      configFromEnv({
        CAREGRAPH_RETENTION_YEARS: '7',
        CAREGRAPH_RETENTION_MAJORITY_AGE: '21',
        CAREGRAPH_EXPORT_TTL: '90s',
      }),
    );
    expect(config).toMatchObject({ retentionYears: 7, retentionMajorityAge: 21, exportTtl: '90s' });
    expect(() => validateConfig(configFromEnv({ CAREGRAPH_RETENTION_YEARS: '-1' }))).toThrow(
      /CAREGRAPH_RETENTION_YEARS/,
    );
    expect(() => validateConfig(configFromEnv({ CAREGRAPH_EXPORT_TTL: '2d' }))).toThrow(
      /CAREGRAPH_EXPORT_TTL/,
    );
  });

  it('reads the rate-limit, trusted-documents and re-validation settings (issue #3)', () => {
    expect(validateConfig(configFromEnv({}))).toMatchObject({
      rateLimitEnabled: true,
      rateLimitPoints: 600,
      rateLimitWindowSeconds: 60,
      rateLimitKeyPrefix: 'caregraph:rl',
      wsRevalidateSeconds: 30,
    });
    const config = validateConfig(
      configFromEnv({
        CAREGRAPH_RATE_LIMIT_ENABLED: 'off',
        CAREGRAPH_RATE_LIMIT_POINTS: '100',
        CAREGRAPH_RATE_LIMIT_WINDOW_SECONDS: '10',
        CAREGRAPH_RATE_LIMIT_KEY_PREFIX: 'hub-a:rl',
        CAREGRAPH_TRUSTED_DOCUMENTS: './persisted-query-manifest.json',
        CAREGRAPH_WS_REVALIDATE_SECONDS: '5',
        CAREGRAPH_TRUST_PROXY: 'loopback, 10.0.0.0/8',
      }),
    );
    expect(config).toMatchObject({
      rateLimitEnabled: false,
      rateLimitPoints: 100,
      rateLimitWindowSeconds: 10,
      rateLimitKeyPrefix: 'hub-a:rl',
      trustedDocuments: './persisted-query-manifest.json',
      wsRevalidateSeconds: 5,
      trustProxy: 'loopback, 10.0.0.0/8',
    });
    expect(() => validateConfig(configFromEnv({ CAREGRAPH_TRUST_PROXY: 'true' }))).toThrow(
      /CAREGRAPH_TRUST_PROXY/,
    );
    expect(() => validateConfig(configFromEnv({ CAREGRAPH_RATE_LIMIT_POINTS: '0' }))).toThrow(
      /CAREGRAPH_RATE_LIMIT_POINTS/,
    );
    expect(() =>
      validateConfig(configFromEnv({ CAREGRAPH_WS_REVALIDATE_SECONDS: 'often' })),
    ).toThrow(/CAREGRAPH_WS_REVALIDATE_SECONDS/);
  });

  it('names the variable and what is expected when a value is invalid', () => {
    const attempt = () =>
      validateConfig(
        configFromEnv({
          CAREGRAPH_PORT: 'eighty',
          CAREGRAPH_DATABASE_URL: 'mysql://x',
          CAREGRAPH_MEMORY: 'maybe',
        }),
      );
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('CAREGRAPH_PORT');
      expect(message).toContain(
        'CAREGRAPH_DATABASE_URL (config key "databaseUrl"): expected a PostgreSQL URL',
      );
      expect(message).toContain('CAREGRAPH_MEMORY');
    }
  });

  it('refuses production without an identity provider, a master key and PostgreSQL', () => {
    expect(() => validateConfig(configFromEnv({ NODE_ENV: 'production' }))).toThrow(
      /CAREGRAPH_JWT_JWKS_URL[\s\S]*CAREGRAPH_JWT_ISSUER[\s\S]*CAREGRAPH_JWT_AUDIENCE[\s\S]*CAREGRAPH_MASTER_KEY_FILE[\s\S]*CAREGRAPH_DATABASE_URL/,
    );
    const ok = validateConfig(configFromEnv(PRODUCTION_ENV));
    expect(ok.nodeEnv).toBe('production');
    expect(ok.masterKeyFile).toBe('/run/secrets/caregraph-master-key');
  });

  it('serves no metrics by default, and in production only with a token (issue 4)', () => {
    const production = PRODUCTION_ENV;
    expect(validateConfig(configFromEnv(production)).metricsEnabled).toBe(false);
    expect(() =>
      validateConfig(configFromEnv({ ...production, CAREGRAPH_METRICS_ENABLED: 'true' })),
    ).toThrow(/CAREGRAPH_METRICS_TOKEN[\s\S]*required when NODE_ENV=production and metrics/);
    const token = 'a'.repeat(32);
    const ok = validateConfig(
      configFromEnv({
        ...production,
        CAREGRAPH_METRICS_ENABLED: 'true',
        CAREGRAPH_METRICS_TOKEN: token,
      }),
    );
    expect(ok).toMatchObject({ metricsEnabled: true, metricsToken: token });
    expect(() => validateConfig(configFromEnv({ CAREGRAPH_METRICS_TOKEN: 'short' }))).toThrow(
      /CAREGRAPH_METRICS_TOKEN[\s\S]*at least 16 characters/,
    );
  });

  it('lets environment variables win over a config file, and flags over both', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'cg-config-'));
    await writeFile(
      join(dir, 'caregraph.config.json'),
      JSON.stringify({ port: 5000, dataDir: '/srv/cg', logLevel: 'warn' }),
    );
    const config = await loadConfig({
      cwd: dir,
      env: { CAREGRAPH_PORT: '5001' },
      overrides: { logLevel: 'debug' },
    });
    expect(config).toMatchObject({ port: 5001, dataDir: '/srv/cg', logLevel: 'debug' });
  });
});
