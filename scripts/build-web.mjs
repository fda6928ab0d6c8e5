#!/usr/bin/env node
// Builds the staff console (web/) into web/dist with Vite, then writes a brotli (.br) and a
// gzip (.gz) copy of every text file beside it, which the server sends to browsers that
// accept them (@fastify/static preCompressed; server/app.ts).
//   node scripts/build-web.mjs             always build
//   node scripts/build-web.mjs --if-stale  build only when a source is newer than web/dist/index.html
// Sources: everything under web/src, web/index.html, web/vite.config.ts, and the shared
// code the console imports (contracts/, core/access/).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

export function isStale() {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  const sources = [join(web, 'src'), join(web, 'index.html'), configFile, join(root, 'contracts'), join(root, 'core', 'access')];
  return sources.some((s) => newest(s) > built);
}

export async function buildWeb({ ifStale = false, quiet = false } = {}) {
  if (ifStale && !isStale()) {
    if (!quiet) console.log('web console is up to date (web/dist)');
    return { built: false };
  }
  const { build } = await import('vite');
  await build({ configFile, root: web, logLevel: quiet ? 'warn' : 'info', mode: 'production' });
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
