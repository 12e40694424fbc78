/** The built `postntlm-smbd` executable the tests run. */
import { fileURLToPath } from 'node:url';

export const SMBD_BIN = fileURLToPath(new URL('../bin/postntlm-smbd.mjs', import.meta.url));
