/**
 * The user commands run local-kdc's `lkdc principal` and open its database, whose messages
 * speak as `lkdc`, say "run setup first" and offer lkdc-only options. Here the program is
 * `postntlm-smbd` and the setup is the first `serve`, so the messages say that instead.
 */
export function asServerMessage(text: string): string {
  return (
    text
      .replace(/^lkdc: /gm, 'postntlm-smbd: ')
      .replace(/: run setup first\b/g, ': no server state yet (run postntlm-smbd serve DIR once)')
      // users have passwords here: `user add` has no --random-key
      .replace(/ or --random-key\b/g, '')
  );
}
