// The staff console: built into web/dist, which the server serves as static files.
// In development (`npx vite --config web/vite.config.ts`) API calls go to the server
// on port 3000.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  // No public/ directory: everything the console ships is imported from src/.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://localhost:3000' },
    // The console imports the shared API contracts from ../contracts.
    fs: { allow: [repoRoot] },
  },
});
