import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'smb2-server',
    include: ['test/**/*.test.ts'],
    // The 10 000-case fuzz properties take seconds each on a loaded 2-core machine.
    testTimeout: 60_000,
  },
});
