import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'smb-client',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
