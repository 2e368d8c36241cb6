/** `loadConfig`: read a lanes.yaml from disk (guarded) and hand it to `parseConfig`. */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BoardConfig } from '../state/config-types.js';
import { fileError, MAX_CONFIG_BYTES, parseConfig } from './parse.js';
import type { ParseOptions } from './parse.js';
import { errorMessage } from '../state/error-text.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'config file not found',
  ENOTDIR: 'config file not found (a parent is not a directory)',
  EACCES: 'cannot read the config file: permission denied',
  EPERM: 'cannot read the config file: operation not permitted',
  ELOOP: 'cannot read the config file: too many symbolic links',
};

function ioMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  return REASONS[code] ?? `cannot read the config file: ${errorMessage(err)}`;
}

/**
 * Load and validate a config file.
 * @param file path to lanes.yaml (relative to cwd or absolute).
 * @param opts passed to `parseConfig` (`checkRepos` defaults to true).
 * @returns the resolved {@link BoardConfig}.
 * @throws {ConfigError} (never anything else) — at `file:1:1` when the file is missing,
 *   unreadable, a directory or other non-regular file (a FIFO would block), larger than
 *   1 MiB (refused before reading it whole), or not valid UTF-8; otherwise with the
 *   positioned issues from `parseConfig`.
 */
export async function loadConfig(file: string, opts: ParseOptions = {}): Promise<BoardConfig> {
  const abs = path.resolve(file);
  let st;
  try {
    st = await fs.stat(abs);
  } catch (err) {
    throw fileError(abs, ioMessage(err));
  }
  if (st.isDirectory()) throw fileError(abs, 'is a directory; expected a lanes.yaml file');
  if (!st.isFile()) throw fileError(abs, 'is not a regular file; expected a lanes.yaml file');
  if (st.size > MAX_CONFIG_BYTES) {
    throw fileError(
      abs,
      `config is ${st.size} bytes; files larger than ${MAX_CONFIG_BYTES} bytes (1 MiB) are refused`,
    );
  }
  let buf: Buffer;
  try {
    buf = await readCapped(abs, MAX_CONFIG_BYTES + 1);
  } catch (err) {
    throw fileError(abs, ioMessage(err));
  }
  if (buf.length > MAX_CONFIG_BYTES) {
    throw fileError(abs, `config is larger than ${MAX_CONFIG_BYTES} bytes (1 MiB); refused`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw fileError(abs, 'config is not valid UTF-8 text');
  }
  return parseConfig(text, abs, opts);
}

/** Read at most `cap` bytes of a file (it may have grown since `stat`). */
async function readCapped(file: string, cap: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(cap);
    let total = 0;
    while (total < cap) {
      const { bytesRead } = await handle.read(buf, total, cap - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    return buf.subarray(0, total);
  } finally {
    await handle.close();
  }
}
