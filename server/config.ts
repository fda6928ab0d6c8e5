// Configuration from the environment, validated once at start. A bad value stops
// start-up with a message naming the variable; nothing else reads process.env.
import { isIP } from 'node:net';
import { z } from 'zod';

/** The proxies whose X-Forwarded-* headers are believed, as Fastify's trustProxy takes them. */
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (/^\d{1,3}$/.test(bits)) return Number(bits) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(bits) === 4; // a netmask, 10.0.0.0/255.0.0.0
}

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  WAYPOINT_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_MIGRATION_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  WAYPOINT_DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  WAYPOINT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WAYPOINT_PUBLIC_URL: z
    .string()
    .url()
    .refine((v) => /^https?:\/\/[^/?#]+\/?$/i.test(v), 'must be http(s)://host[:port] with no path, query or fragment')
    .transform((v) => new URL(v).origin)
    .optional(),
  WAYPOINT_TRUST_PROXY: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== ''),
    )
    .refine((list) => list.length > 0 && list.every(isProxyEntry), 'must be a comma-separated list of proxy addresses or CIDR ranges (or loopback, linklocal, uniquelocal)')
    .optional(),
  WAYPOINT_AUDIT_SEAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  WAYPOINT_AUDIT_KEY_FILE: z.string().min(1).optional(),
  // messages (docs/messages.md): a channel with nothing configured delivers to the console's outbox view
  WAYPOINT_SMS_BASE_URL: z.string().url().default('https://api.twilio.com'),
  WAYPOINT_SMS_ACCOUNT_SID: z.string().min(1).optional(),
  WAYPOINT_SMS_AUTH_TOKEN: z.string().min(1).optional(),
  WAYPOINT_SMS_FROM: z
    .string()
    .regex(/^\+\d{8,15}$|^[A-Za-z0-9 ]{1,11}$/, 'must be an E.164 number (+15550100) or an alphanumeric sender ID')
    .optional(),
  WAYPOINT_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  WAYPOINT_EMAIL_FROM: z.string().min(3).optional(),
  WAYPOINT_VAPID_PUBLIC_KEY: z.string().min(1).optional(),
  WAYPOINT_VAPID_PRIVATE_KEY: z.string().min(1).optional(),
  WAYPOINT_VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:|https:\/\/)/, 'must be a mailto: or https:// URL')
    .optional(),
  WAYPOINT_OUTBOX_POLL_SECONDS: z.coerce.number().min(0.2).max(3600).default(5),
  WAYPOINT_OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
});

/** Variables that must be set together, or not at all. */
const GROUPS: Array<[string, string[]]> = [
  ['SMS', ['WAYPOINT_SMS_ACCOUNT_SID', 'WAYPOINT_SMS_AUTH_TOKEN', 'WAYPOINT_SMS_FROM']],
  ['email', ['WAYPOINT_SMTP_URL', 'WAYPOINT_EMAIL_FROM']],
  ['Web Push', ['WAYPOINT_VAPID_PUBLIC_KEY', 'WAYPOINT_VAPID_PRIVATE_KEY', 'WAYPOINT_VAPID_SUBJECT']],
];

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The role that owns the schema and runs migrations (DATABASE_MIGRATION_URL, ADR 025); undefined: DATABASE_URL's role does. */
  migrationUrl: string | undefined;
  production: boolean;
  env: 'development' | 'production' | 'test';
  demo: 'auto' | 'on' | 'off';
  logLevel: string;
  /** scheme://host[:port] the public reaches Waypoint at (WAYPOINT_PUBLIC_URL), for links and the Origin check. */
  publicUrl: string | undefined;
  /** Proxies whose X-Forwarded-Proto/Host/For are trusted (WAYPOINT_TRUST_PROXY); none when undefined. */
  trustProxy: string[] | undefined;
  auditSealSeconds: number;
  /** The Ed25519 PKCS#8 PEM file audit seals are signed with (ADR 024). */
  auditKeyFile: string | undefined;
  /** The channels with a provider configured (the others deliver to the console's outbox view). */
  messages: MessagesConfig;
};

export type MessagesConfig = {
  sms: { baseUrl: string; accountSid: string; authToken: string; from: string } | undefined;
  email: { smtpUrl: string; from: string } | undefined;
  push: { publicKey: string; privateKey: string; subject: string } | undefined;
  pollSeconds: number;
  leaseSeconds: number;
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
  if (c.DATABASE_MIGRATION_URL && !c.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_MIGRATION_URL: needs DATABASE_URL (the embedded database has one role)');
  }
  for (const [name, vars] of GROUPS) {
    const set = vars.filter((v) => defined[v] !== undefined);
    if (set.length > 0 && set.length < vars.length) {
      const missing = vars.filter((v) => defined[v] === undefined);
      throw new ConfigError(`Invalid configuration:\n${missing.map((v) => `  ${v}: needed with ${set.join(', ')} (${name} takes all of ${vars.join(', ')})`).join('\n')}`);
    }
  }
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: c.WAYPOINT_DATA_DIR,
    databaseUrl: c.DATABASE_URL,
    migrationUrl: c.DATABASE_MIGRATION_URL,
    production: c.NODE_ENV === 'production',
    env: c.NODE_ENV,
    demo: c.WAYPOINT_DEMO,
    logLevel: c.WAYPOINT_LOG_LEVEL,
    publicUrl: c.WAYPOINT_PUBLIC_URL,
    trustProxy: c.WAYPOINT_TRUST_PROXY,
    auditSealSeconds: c.WAYPOINT_AUDIT_SEAL_SECONDS,
    auditKeyFile: c.WAYPOINT_AUDIT_KEY_FILE,
    messages: {
      sms:
        c.WAYPOINT_SMS_ACCOUNT_SID && c.WAYPOINT_SMS_AUTH_TOKEN && c.WAYPOINT_SMS_FROM
          ? { baseUrl: c.WAYPOINT_SMS_BASE_URL, accountSid: c.WAYPOINT_SMS_ACCOUNT_SID, authToken: c.WAYPOINT_SMS_AUTH_TOKEN, from: c.WAYPOINT_SMS_FROM }
          : undefined,
      email: c.WAYPOINT_SMTP_URL && c.WAYPOINT_EMAIL_FROM ? { smtpUrl: c.WAYPOINT_SMTP_URL, from: c.WAYPOINT_EMAIL_FROM } : undefined,
      push:
        c.WAYPOINT_VAPID_PUBLIC_KEY && c.WAYPOINT_VAPID_PRIVATE_KEY && c.WAYPOINT_VAPID_SUBJECT
          ? { publicKey: c.WAYPOINT_VAPID_PUBLIC_KEY, privateKey: c.WAYPOINT_VAPID_PRIVATE_KEY, subject: c.WAYPOINT_VAPID_SUBJECT }
          : undefined,
      pollSeconds: c.WAYPOINT_OUTBOX_POLL_SECONDS,
      leaseSeconds: c.WAYPOINT_OUTBOX_LEASE_SECONDS,
    },
  };
}
