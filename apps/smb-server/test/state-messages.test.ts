/** Commands run before the first `serve` say so in postntlm-smbd's words (exit 3), not lkdc's. */
import { describe, expect, it } from 'vitest';
import type { AppIo } from '../src/cli/io.js';
import { asServerMessage } from '../src/cli/lkdc-messages.js';
import { main } from '../src/program.js';

function io(stdin = ''): AppIo & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout: (t: string) => {
      o.out += t;
    },
    stderr: (t: string) => {
      o.err += t;
    },
    readStdin: async () => stdin,
    env: {},
    stderrIsTty: false,
    handleSignals: false,
  };
  return o;
}

const NOWHERE = '/nonexistent/postntlm-smbd-state';

describe('postntlm-smbd before the first serve', () => {
  it('user add, user list and ntlm-audit exit 3 and point at serve', async () => {
    const add = io('a-Passw0rd-long\n');
    expect(await main(['user', 'add', 'bob', '--password-stdin', '--state', NOWHERE], add)).toBe(3);
    expect(add.err).toMatch(/^postntlm-smbd: .*run postntlm-smbd serve DIR once\)\n$/);
    const list = io();
    expect(await main(['user', 'list', '--state', NOWHERE], list)).toBe(3);
    expect(list.err).toMatch(/^postntlm-smbd: .*run postntlm-smbd serve DIR once\)\n$/);
    const audit = io();
    expect(await main(['ntlm-audit', '--state', NOWHERE], audit)).toBe(3);
    expect(audit.err).toBe(
      `postntlm-smbd: no server state in ${NOWHERE}: run postntlm-smbd serve DIR first\n`,
    );
  });

  it('names an operating-system error without a stack trace (exit 1)', async () => {
    // sysfs refuses mkdir even for root (EPERM, or EROFS when mounted read-only).
    const x = io();
    expect(await main(['serve', '/tmp', '--state', '/sys/postntlm-smbd-test'], x)).toBe(1);
    expect(x.err).toMatch(/^postntlm-smbd: E[A-Z]+: .*mkdir '\/sys\/postntlm-smbd-test'\n$/);
  });

  it('rewrites only the lkdc prefix and its setup hint', () => {
    expect(asServerMessage('lkdc: password too short: at least 8 characters\n')).toBe(
      'postntlm-smbd: password too short: at least 8 characters\n',
    );
    expect(asServerMessage('lkdc: no stash file /s/master.stash: run setup first\n')).toBe(
      'postntlm-smbd: no stash file /s/master.stash: no server state yet (run postntlm-smbd serve DIR once)\n',
    );
    expect(
      asServerMessage(
        "lkdc: no terminal to ask for carol's password: use --password-stdin or --random-key\n",
      ),
    ).toBe("postntlm-smbd: no terminal to ask for carol's password: use --password-stdin\n");
    expect(asServerMessage('Principal alice@R added (kvno 1).\n')).toBe(
      'Principal alice@R added (kvno 1).\n',
    );
  });
});
