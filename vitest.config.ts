import { defineConfig } from 'vitest/config';

// One run over every package's tests (each package's own vitest.config.ts is a project),
// closed by a one-line "N passed, N failed" summary that CI logs can be judged by.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'tooling/*/vitest.config.ts'],
    reporters: ['default', './tooling/vitest-summary-reporter.ts'],
  },
});
