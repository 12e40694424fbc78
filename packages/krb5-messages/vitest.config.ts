import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'krb5-messages',
    include: ['test/**/*.test.ts'],
  },
});
