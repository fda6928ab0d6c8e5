// ESLint for the whole repository (ADR 029): typescript-eslint's recommended rules, which need
// no type information (so lint stays fast), and the import boundaries of docs/architecture.md.
// `npm run lint` runs it; test/platform/lint.test.ts runs it inside `npm test`.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// ── Import boundaries ────────────────────────────────────────────────────────────────────────
// no-restricted-imports takes one option object per file (a later config block replaces an
// earlier one's options rather than adding to them), so each directory's full list is built here.

const outsideCore = {
  regex: '^(\\.\\./)+(server|web|contracts|test|bench|scripts|bin)(/|$)',
  message: 'core/ is pure rules: it imports nothing from server/, web/, contracts/ or tests (data from content/ is fine).',
};

// core/ may import its own files, content/ data, zod and node:crypto's hash functions: an
// allow-list, so a new I/O dependency (a driver, fs, the network, a clock) is refused by default.
const coreBareImports = (extra) => ({
  regex: `^(?!\\.|zod$|node:crypto$${extra.map((name) => `|${name}$`).join('')})`,
  message: 'core/ does no I/O: it takes data and returns data (zod and node:crypto hashing are the only packages it uses). Do the I/O in server/ and pass the result in.',
});

// Randomness comes in as an argument; node:crypto is allowed for hashing only.
const coreCryptoRandomness = {
  name: 'node:crypto',
  importNames: ['randomBytes', 'randomInt', 'randomUUID', 'randomFill', 'randomFillSync', 'getRandomValues', 'webcrypto'],
  message: 'core/ takes randomness as an argument; node:crypto is for hashing here.',
};

const fastifyOutsideHttp = {
  regex: '^(fastify|@fastify/)',
  message: 'Fastify belongs to the HTTP edge: *.routes.ts, server/app.ts and server/platform/http/ only. Use cases take plain data and return DTOs.',
};

const webToServer = {
  regex: '^(\\.\\./)+server(/|$)',
  message: 'web/ talks to the server over HTTP: share types through contracts/ (or core/), never import server/.',
};

const contractsBoundary = {
  regex: '^((\\.\\./)+(server|web)(/|$)|drizzle-orm|pg$|@electric-sql/|fastify|@fastify/)',
  message: 'contracts/ are zod schemas shared by the server and the web client: no server code, DB or Fastify types.',
};

// Clock and randomness in core/ (the use case passes `now` and random values in).
const coreClockAndRandom = [
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'core/ takes time as an argument (Date.now() reads the clock).' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ takes time as an argument (new Date() reads the clock).' },
  { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'core/ takes randomness as an argument (Math.random()).' },
];

export default defineConfig([
  globalIgnores(['**/node_modules/', '**/dist/', 'data/', 'coverage/', 'test-results/', '.tmp/', '.ci/.node24/']),

  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    extends: [tseslint.configs.recommended],
    rules: {
      // `_`-prefixed names are deliberately unused (destructuring a field away, a required
      // parameter position); the compiler's noUnusedLocals already reports the rest.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    // The two classic hook rules only: the plugin's React Compiler rules (v7 recommended) judge
    // code written for a compiler the console does not use.
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': ['error', { patterns: [webToServer] }],
    },
  },

  // core/: pure rules. Tests beside the rules, and the fast-check generators only they use, may
  // read content/ files and use the test libraries.
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts', 'core/cm/arbitraries.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [coreCryptoRandomness], patterns: [outsideCore, coreBareImports([])] }],
      'no-restricted-syntax': ['error', ...coreClockAndRandom],
    },
  },
  {
    files: ['core/**/*.test.ts', 'core/cm/arbitraries.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [outsideCore, coreBareImports(['vitest', 'fast-check', 'node:fs', 'node:url', 'node:path'])] }],
    },
  },

  { files: ['contracts/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [contractsBoundary] }] } },

  // One door into a transaction: inTransaction (server/platform/db/database.ts), which gives
  // the branded Tx that use cases require.
  {
    files: ['server/**/*.ts', 'bench/**/*.ts'],
    ignores: ['server/platform/db/database.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='transaction']", message: 'Open a transaction with inTransaction(db, fn) (server/platform/db/database.ts): it gives the branded Tx.' },
      ],
    },
  },

  // server/: Fastify only at the HTTP edge.
  {
    files: ['server/**/*.ts'],
    ignores: ['server/**/*.routes.ts', 'server/app.ts', 'server/platform/http/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [fastifyOutsideHttp] }] },
  },
]);
