// The build's check that the patient app loads no console code (scripts/build-web.mjs
// consoleCodeInApp, ADR 031), on small fabricated builds: it passes the app's own modules,
// the shared i18n and rules and React, and names a console module that slipped in.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error — a plain ES module script without types
import { appShellFiles, consoleCodeInApp, developmentReact } from '../../scripts/build-web.mjs';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function fakeBuild(shared: string[]) {
  dir = mkdtempSync(join(tmpdir(), 'waypoint-app-bundle-'));
  mkdirSync(join(dir, '.vite'));
  const manifest = {
    'app/index.html': { file: 'assets/app-1.js', imports: ['_shared-1.js'], dynamicImports: ['src/i18n/es.json'], css: ['assets/app-1.css'] },
    '_shared-1.js': { file: 'assets/shared-1.js' },
    'src/i18n/es.json': { file: 'assets/es-1.js' },
    'index.html': { file: 'assets/console-1.js', imports: ['_shared-1.js'] },
  };
  const modules = {
    'assets/app-1.js': ['web/src/app/main.tsx', 'web/src/app/PatientApp.tsx', 'core/access/patient-app.ts', 'web/app/index.html'],
    'assets/shared-1.js': shared,
    'assets/es-1.js': ['web/src/i18n/es.json'],
    'assets/console-1.js': ['web/src/Console.tsx', '/x/node_modules/@mantine/core/index.mjs'],
  };
  writeFileSync(join(dir, '.vite', 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, '.vite', 'modules.json'), JSON.stringify(modules));
  return dir;
}

describe("the build's checks: the patient app bundle, React's production build", () => {
  it('lists the files the app loads, statically and later, for the service worker', () => {
    const d = fakeBuild(['/x/node_modules/react/index.js']);
    expect(appShellFiles(d).files).toEqual(['/assets/app-1.css', '/assets/app-1.js', '/assets/es-1.js', '/assets/shared-1.js']);
  });

  it('passes the app, shared i18n and rules and React; names console code in a chunk the app loads', () => {
    expect(consoleCodeInApp(fakeBuild(['/x/node_modules/react-dom/client.js', 'web/src/i18n/index.ts', 'web/src/i18n/en.json']))).toEqual([]);
    rmSync(dir!, { recursive: true, force: true });
    expect(consoleCodeInApp(fakeBuild(['/x/node_modules/react/index.js', 'web/src/pages/PatientPage.tsx', '/x/node_modules/@mantine/core/esm/index.mjs']))).toEqual([
      '/assets/shared-1.js: web/src/pages/PatientPage.tsx',
      '/assets/shared-1.js: /x/node_modules/@mantine/core/esm/index.mjs',
    ]);
  });

  it("names React's development build in any chunk (a build run under NODE_ENV=test made one)", () => {
    expect(developmentReact(fakeBuild(['/x/node_modules/react/cjs/react.production.js', '/x/node_modules/react-dom/cjs/react-dom-client.production.js']))).toEqual([]);
    rmSync(dir!, { recursive: true, force: true });
    expect(developmentReact(fakeBuild(['/x/node_modules/react/cjs/react-jsx-runtime.development.js', '/x/node_modules/react-dom/cjs/react-dom-client.development.js']))).toEqual([
      '/x/node_modules/react-dom/cjs/react-dom-client.development.js',
      '/x/node_modules/react/cjs/react-jsx-runtime.development.js',
    ]);
  });
});
