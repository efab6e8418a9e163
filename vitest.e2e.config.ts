import { defineConfig } from 'vitest/config';

// End-to-end tests: Playwright (playwright-core) driving Debian's Chromium against the console
// (`haechi serve`), and the real Electron app where its binary exists. Run by `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
