// Two entries, two bundles (ARCHITECTURE.md): the staff console (web/index.html) and the
// patient app (web/app/index.html, served at /app/; ADR 031). Both are built into web/dist,
// which the server serves as static files; Rollup puts a module in a chunk the patient app
// loads only when the patient app imports it, so console code never reaches a patient.
// In development (`npx vite --config web/vite.config.ts`) API calls go to the server on
// port 3000.
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Writes .vite/modules.json: the source modules in each chunk (the patient app's bundle check reads it; scripts/build-web.mjs). */
const chunkModules = (): Plugin => ({
  name: 'waypoint-chunk-modules',
  generateBundle(_options, bundle) {
    const out: Record<string, string[]> = {};
    for (const chunk of Object.values(bundle)) {
      if (chunk.type === 'chunk') out[chunk.fileName] = chunk.moduleIds.map((id) => (id.startsWith(repoRoot) ? id.slice(repoRoot.length) : id));
    }
    this.emitFile({ type: 'asset', fileName: '.vite/modules.json', source: JSON.stringify(out, null, 1) });
  },
});

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), chunkModules()],
  // No public/ directory: the console ships only what src/ imports; the patient app's
  // service worker, manifest and icon are copied by scripts/build-web.mjs from web/app-static.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    // which source modules each chunk holds: the check that the patient app loads no console code reads it
    manifest: true,
    rollupOptions: { input: { console: fileURLToPath(new URL('index.html', import.meta.url)), app: fileURLToPath(new URL('app/index.html', import.meta.url)) } },
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000' },
    // The console imports the shared API contracts from ../contracts.
    fs: { allow: [repoRoot] },
  },
});
