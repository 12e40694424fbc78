#!/usr/bin/env node
// The `postntlm-smb` executable: a committed file, so package managers can link it before the
// app is built; the program itself is dist/main.js.
import('../dist/main.js').catch((e) => {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/main.js')) {
    process.stderr.write('postntlm-smb: not built yet: run `pnpm build` first\n');
    process.exit(1);
  }
  throw e;
});
