#!/usr/bin/env node
/** The `postntlm-smb` executable (bin/postntlm-smb.mjs loads this). */
import { processIo } from './cli/io.js';
import { main } from './program.js';

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`postntlm-smb: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
