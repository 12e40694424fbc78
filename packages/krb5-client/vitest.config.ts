import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'krb5-client',
    include: ['test/**/*.test.ts'],
  },
});
