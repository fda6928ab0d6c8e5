#!/usr/bin/env node
// Builds the staff console and the patient app (web/, two entries) into web/dist with Vite,
// adds the patient app's service worker, manifest, icon and neutral page (web/app-static,
// into web/dist/app; the worker's list of shell files filled in from the build), then writes a brotli (.br) and a
// gzip (.gz) copy of every text file beside it, which the server sends to browsers that
// accept them (@fastify/static preCompressed; server/app.ts).
//   node scripts/build-web.mjs             always build
//   node scripts/build-web.mjs --if-stale  build only when a source is newer than web/dist/index.html
// Sources: everything under web/src, web/index.html, web/vite.config.ts, and the shared
// code the console imports (contracts/, core/access/).
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'web');
const configFile = join(web, 'vite.config.ts');
const output = join(web, 'dist', 'index.html');

/** The newest modification time (ms) of a file or of every file below a directory. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    max = Math.max(max, newest(join(path, entry.name)));
  }
  return max;
}

const TEXT = /\.(?:html|js|css|json|svg|txt)$/;

/** Writes name.br and name.gz beside every text file below dir (maximum compression: it runs once per build). */
export function precompress(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) precompress(path);
    else if (TEXT.test(entry.name)) {
      const body = readFileSync(path);
      writeFileSync(`${path}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }));
      writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
    }
  }
}

/**
 * The files the patient app's page loads, statically or later (the Spanish catalogue), from
 * Vite's manifest: the service worker stores them all, so the app starts and switches
 * language offline.
 */
export function appShellFiles(dist) {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
  const files = new Set();
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key) || !manifest[key]) return;
    seen.add(key);
    const chunk = manifest[key];
    files.add(`/${chunk.file}`);
    for (const css of chunk.css ?? []) files.add(`/${css}`);
    for (const k of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(k);
  };
  visit('app/index.html');
  files.delete('/app/index.html');
  return { files: [...files].sort(), chunks: [...seen] };
}

/**
 * The source modules of every chunk the patient app loads that are not the patient app's
 * own (web/src/app), the shared i18n catalogue, the shared rules and contracts, or the
 * libraries it uses: empty, or the build fails. The staff console's code never reaches a patient.
 */
export function consoleCodeInApp(dist) {
  const modules = JSON.parse(readFileSync(join(dist, '.vite', 'modules.json'), 'utf8'));
  const allowed = [
    /^web\/src\/app\//,
    /^web\/src\/i18n\//,
    /^web\/src\/format\.ts$/, // dates and money for display, shared
    /^web\/app\/index\.html/,
    /^core\//,
    /^contracts\//,
    /node_modules\/(react|react-dom|scheduler|i18next|react-i18next|html-parse-stringify|void-elements|use-sync-external-store|@simplewebauthn\/browser)\//, // the passkey helper: loaded only when a passkey is made or used (ADR 039)
    /node_modules\/zod\//, // the shared rules' schemas: a skills exercise is checked before Save (core/skills/exercises.ts; the Skills tab's chunk)
    /^\0|^vite\/|commonjsHelpers|\?commonjs/,
  ];
  const bad = [];
  for (const file of appShellFiles(dist).files.filter((f) => f.endsWith('.js'))) {
    for (const id of modules[file.slice(1)] ?? []) if (!allowed.some((re) => re.test(id))) bad.push(`${file}: ${id}`);
  }
  return bad;
}

/**
 * The modules of React's development build in the chunks (React picks its build by
 * NODE_ENV): empty, or the build fails. A browser never gets the slower development build,
 * and the browser tests test what a clinic serves.
 */
export function developmentReact(dist) {
  const modules = JSON.parse(readFileSync(join(dist, '.vite', 'modules.json'), 'utf8'));
  const found = new Set();
  for (const ids of Object.values(modules)) for (const id of ids) if (/node_modules\/(react|react-dom|scheduler)\/cjs\/[^/]+\.development\.js$/.test(id)) found.add(id);
  return [...found].sort();
}

/** Copies web/app-static into dist/app and writes the service worker's version and shell list. */
function addAppStatic(dist) {
  const from = join(web, 'app-static');
  for (const name of readdirSync(from)) if (name !== 'sw.js') copyFileSync(join(from, name), join(dist, 'app', name));
  const shell = ['/app/', '/app/manifest.webmanifest', '/app/icon.svg', '/app/neutral.html', ...appShellFiles(dist).files];
  const version = createHash('sha256').update(shell.join('\n')).digest('hex').slice(0, 16);
  const sw = readFileSync(join(from, 'sw.js'), 'utf8').replace("'__VERSION__'", JSON.stringify(version)).replace('__SHELL__', JSON.stringify(shell));
  writeFileSync(join(dist, 'app', 'sw.js'), sw);
}

export function isStale() {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  const sources = [join(web, 'src'), join(web, 'index.html'), join(web, 'app'), join(web, 'app-static'), configFile, join(root, 'contracts'), join(root, 'core', 'access')];
  return sources.some((s) => newest(s) > built);
}

export async function buildWeb({ ifStale = false, quiet = false } = {}) {
  if (ifStale && !isStale()) {
    if (!quiet) console.log('web console is up to date (web/dist)');
    return { built: false };
  }
  const { build } = await import('vite');
  // Vite and React take the build's kind from NODE_ENV when it is set, and Vitest sets it to
  // "test" for everything it starts (the browser tests build the web when it is stale).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile, root: web, logLevel: quiet ? 'warn' : 'info', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const dev = developmentReact(join(web, 'dist'));
  if (dev.length > 0) throw new Error(`The build holds React's development build:\n${dev.join('\n')}`);
  const bad = consoleCodeInApp(join(web, 'dist'));
  if (bad.length > 0) throw new Error(`The patient app would load code it must not:\n${bad.join('\n')}`);
  addAppStatic(join(web, 'dist'));
  precompress(join(web, 'dist'));
  return { built: true };
}

const invokedDirectly = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const ifStale = process.argv.includes('--if-stale');
  buildWeb({ ifStale }).catch((err) => {
    console.error(`Building the web console failed: ${err?.message ?? err}`);
    process.exit(1);
  });
}
