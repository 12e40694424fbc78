import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Our server runs from its source in the tests (its dist is rebuilt by others at any time).
    alias: {
      '@postntlm/smb2-server': fileURLToPath(new URL('../smb2-server/src/index.ts', import.meta.url)),
    },
  },
  test: {
    name: 'smb2-client',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
