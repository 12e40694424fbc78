#!/usr/bin/env node
/** The `lkdc` executable. */
import { processIo } from './io.js';
import { main } from './main.js';

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`lkdc: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
