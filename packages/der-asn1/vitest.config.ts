import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'der-asn1',
    include: ['test/**/*.test.ts'],
  },
});
