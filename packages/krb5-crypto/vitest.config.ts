import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'krb5-crypto',
    include: ['test/**/*.test.ts'],
  },
});
