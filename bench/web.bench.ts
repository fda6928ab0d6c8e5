// What the console's first page (sign-in) makes a browser download: index.html, the
// scripts it loads and preloads, everything those import statically, and its styles —
// gzip sizes, as sent. Baseline in the same run: every script the build produced (what
// the first load was before pages were split by route). Goal: ≤ 150 KB of gzipped
// JavaScript for the first page. The patient app (/app/, its own entry; ADR 031) is measured
// the same way, against the same goal.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
// @ts-expect-error — a plain ES module script without types
import { buildWeb } from '../scripts/build-web.mjs';

const dist = fileURLToPath(new URL('../web/dist', import.meta.url));
const GOAL_KB = 150;

const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** The files the first page loads: index.html's scripts, preloads and styles, and the scripts they import statically. */
export function firstLoad(page = 'index.html'): { scripts: string[]; styles: string[] } {
  const html = readFileSync(join(dist, page), 'utf8');
  const refs = (re: RegExp) => [...html.matchAll(re)].map((m) => m[1]!.replace(/^\//, ''));
  const scripts = new Set<string>();
  const queue = [...refs(/<script[^>]+src="([^"]+)"/g), ...refs(/<link rel="modulepreload"[^>]+href="([^"]+)"/g)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (scripts.has(file)) continue;
    scripts.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    // static imports only (`import … from "./x.js"`, `import "./x.js"`); import("./x.js") loads later
    for (const m of code.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) queue.push(`assets/${m[1]}`);
  }
  return { scripts: [...scripts].sort(), styles: refs(/<link rel="stylesheet"[^>]+href="([^"]+)"/g) };
}

export default async function bench() {
  await buildWeb({ ifStale: true, quiet: true });
  const { scripts, styles } = firstLoad();
  const js = scripts.reduce((sum, f) => sum + gz(f), 0);
  const css = styles.reduce((sum, f) => sum + gz(f), 0);
  const html = gz('index.html');
  const all = readdirSync(join(dist, 'assets'))
    .filter((f) => f.endsWith('.js'))
    .reduce((sum, f) => sum + gz(`assets/${f}`), 0);
  console.log(`sign-in page, first load (gzip -9): JavaScript ${kb(js)} in ${scripts.length} files, CSS ${kb(css)}, HTML ${kb(html)}; total ${kb(js + css + html)}`);
  console.log(`every script of the console: ${kb(all)} — the first load is ${(js / all).toFixed(2)} of it`);
  console.log(`first-load JavaScript ${kb(js)} ${js / 1024 <= GOAL_KB ? `— meets the ≤ ${GOAL_KB} KB goal` : `— ABOVE the ${GOAL_KB} KB goal`}`);

  const app = firstLoad('app/index.html');
  const appJs = app.scripts.reduce((sum, f) => sum + gz(f), 0);
  const appCss = app.styles.reduce((sum, f) => sum + gz(f), 0);
  console.log(`patient app (/app/), first load (gzip -9): JavaScript ${kb(appJs)} in ${app.scripts.length} files, CSS ${kb(appCss)}, HTML ${kb(gz('app/index.html'))}`);
  console.log(`patient app first-load JavaScript ${kb(appJs)} ${appJs / 1024 <= GOAL_KB ? `— meets the ≤ ${GOAL_KB} KB goal` : `— ABOVE the ${GOAL_KB} KB goal`}`);
}
