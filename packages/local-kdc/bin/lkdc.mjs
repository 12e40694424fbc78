#!/usr/bin/env node
// The `lkdc` executable: a committed file, so package managers can link it before the
// package is built; the program itself is dist/cli.js.
import('../dist/cli.js').catch((e) => {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/cli.js')) {
    process.stderr.write('lkdc: not built yet: run `pnpm build` first\n');
    process.exit(1);
  }
  throw e;
});
