// Configuration from the environment, validated once at start. A bad value stops
// start-up with a message naming the variable; nothing else reads process.env.
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  WAYPOINT_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  WAYPOINT_DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  WAYPOINT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WAYPOINT_PUBLIC_ORIGIN: z.string().url().optional(),
  WAYPOINT_AUDIT_SEAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  production: boolean;
  env: 'development' | 'production' | 'test';
  demo: 'auto' | 'on' | 'off';
  logLevel: string;
  publicOrigin: string | undefined;
  auditSealSeconds: number;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(defined);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: c.WAYPOINT_DATA_DIR,
    databaseUrl: c.DATABASE_URL,
    production: c.NODE_ENV === 'production',
    env: c.NODE_ENV,
    demo: c.WAYPOINT_DEMO,
    logLevel: c.WAYPOINT_LOG_LEVEL,
    publicOrigin: c.WAYPOINT_PUBLIC_ORIGIN,
    auditSealSeconds: c.WAYPOINT_AUDIT_SEAL_SECONDS,
  };
}
