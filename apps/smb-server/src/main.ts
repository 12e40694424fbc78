#!/usr/bin/env node
/** The `postntlm-smbd` executable (bin/postntlm-smbd.mjs loads this). */
import { processIo } from './cli/io.js';
import { main } from './program.js';

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`postntlm-smbd: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
