import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'smb-server',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
