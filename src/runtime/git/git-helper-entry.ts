/**
 * Entry of the git helper process (./git-helper.ts; bundled as `dist/git-helper.js` by
 * scripts/build.mjs). Runs each requested git call with {@link runGitHere} and sends the
 * result back over the IPC channel. Protocol: it sends `{ready: true}` once loaded;
 * requests are {@link GitRequest}, answers {@link GitAnswer} (same `id`); anything else is
 * ignored. Exits when the channel closes (the board exited, even by SIGKILL).
 */
import { runGitHere } from './run-git.js';
import type { GitAnswer, GitRequest } from './git-helper.js';

const send = process.send?.bind(process);
if (send !== undefined) {
  process.on('message', (msg: GitRequest) => {
    if (typeof msg?.id !== 'number' || !Array.isArray(msg.args)) return;
    void runGitHere(msg.args, msg.opts).then((result) => {
      const answer: GitAnswer = { id: msg.id, result };
      if (process.connected) send(answer);
    });
  });
  process.on('disconnect', () => process.exit(0));
  send({ ready: true });
}
