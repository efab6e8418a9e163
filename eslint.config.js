import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layers (DESIGN.md): shared imports nothing from node or electron; only src/main/index.ts and
// src/main/ipc.ts (and preload) may import electron; the renderer reaches Node only through
// window.haechi; main never imports the renderer.
const nodeBuiltins = ['fs', 'path', 'os', 'net', 'dgram', 'crypto', 'child_process', 'http', 'https', 'url', 'stream', 'worker_threads', 'events', 'util', 'zlib', 'readline', 'buffer', 'timers'];
const nodeImports = nodeBuiltins.flatMap((m) => [m, `node:${m}`, `node:${m}/*`]);

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'tests/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/index.ts, src/main/ipc.ts and src/preload import electron.' }] }],
    },
  },
  {
    files: ['src/main/index.ts', 'src/main/ipc.ts', 'src/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', ...nodeImports], patterns: ['**/main/**', '**/renderer/**', '**/preload/**'] }],
    },
  },
  {
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', ...nodeImports], patterns: ['**/main/**', '**/preload/**'] }],
    },
  },
  {
    files: ['src/main/**'],
    ignores: ['src/main/index.ts', 'src/main/ipc.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/index.ts and src/main/ipc.ts import electron.' }], patterns: ['**/renderer/**', '**/preload/**'] }],
    },
  },
);
