/**
 * Fleet credentials: turns `--nats URL` and `--creds FILE` into NATS connect options, and
 * redacts URLs for display. Credentials never leave this module in printable form: the
 * board, `--json` and logs only ever see {@link redactUrl}'s output.
 *
 * Accepted `--creds FILE` contents (the file is read once at connect):
 * - a NATS `.creds` file (user JWT + NKEY seed, as written by `nsc`);
 * - an NKEY user seed alone (`SU…`, one line);
 * - `user:password` on the first line (nats-server `authorization.users`);
 * - anything else on the first line: a token.
 * A URL of the form `nats://user:password@host:port` carries user/password itself.
 */
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from '@nats-io/transport-node';
import { cjs } from './cjs.js';

/** Connect options derived from the URL and the credentials file. */
export interface AuthOptions {
  /** The server URL without user info. */
  readonly servers: string;
  readonly options: Partial<ConnectionOptions>;
}

/** `url` with any user:password replaced by `***` (safe for the board, --json, logs). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1***@');
}

function splitUserInfo(url: string): { servers: string; user?: string; pass?: string } {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@(.*)$/i.exec(url);
  if (!m) return { servers: url };
  const info = m[2] ?? '';
  const at = info.indexOf(':');
  const user = decodeURIComponent(at < 0 ? info : info.slice(0, at));
  const pass = at < 0 ? undefined : decodeURIComponent(info.slice(at + 1));
  return { servers: `${m[1] ?? ''}${m[3] ?? ''}`, user, pass };
}

/**
 * Build connect options from `url` and the optional credentials file `credsFile`.
 * Rejects with an Error naming the file (never its contents) when it cannot be read.
 */
export async function authOptions(url: string, credsFile?: string): Promise<AuthOptions> {
  const { servers, user, pass } = splitUserInfo(url);
  if (credsFile === undefined) {
    return { servers, options: user === undefined ? {} : { user, pass } };
  }
  let text: string;
  try {
    text = await readFile(credsFile, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreadable';
    throw new Error(`cannot read the NATS credentials file ${credsFile} (${code})`);
  }
  const { credsAuthenticator, nkeyAuthenticator } = cjs(await import('@nats-io/transport-node'));
  if (text.includes('BEGIN NATS USER JWT')) {
    return { servers, options: { authenticator: credsAuthenticator(Buffer.from(text, 'utf8')) } };
  }
  const first = (text.split(/\r?\n/)[0] ?? '').trim();
  if (/^SU[A-Z2-7]{50,}$/.test(first)) {
    return { servers, options: { authenticator: nkeyAuthenticator(Buffer.from(first, 'utf8')) } };
  }
  const colon = first.indexOf(':');
  if (colon > 0) {
    return { servers, options: { user: first.slice(0, colon), pass: first.slice(colon + 1) } };
  }
  if (first === '') throw new Error(`the NATS credentials file ${credsFile} is empty`);
  return { servers, options: { token: first } };
}
