/**
 * Thin promise wrappers over the callback `node:fs` calls on raw file descriptors, for the
 * hot read path of bridge files: about half the CPU of `fs/promises` `FileHandle` per read
 * (no FileHandle object, no close tracking; figures: docs/performance.md, "Measured
 * choices"). Synchronous calls were not used: a slow or hung filesystem must never freeze
 * the board. Every function rejects with the `fs` error (an `ErrnoException` with `code`).
 */
import { close, fstat, open, read, type Stats } from 'node:fs';

/** Opens `path` with `flags` (numeric `O_*`); resolves the file descriptor. */
export function openFd(path: string, flags: number): Promise<number> {
  return new Promise((resolve, reject) => {
    open(path, flags, (error, fd) => (error ? reject(error) : resolve(fd)));
  });
}

/** `fstat` of an open descriptor. */
export function fstatFd(fd: number): Promise<Stats> {
  return new Promise((resolve, reject) => {
    fstat(fd, (error, st) => (error ? reject(error) : resolve(st)));
  });
}

/**
 * Reads up to `length` bytes at file position `position` into `buf` at `offset`;
 * resolves the number of bytes read (0 at end of file).
 */
export function readFd(
  fd: number,
  buf: Uint8Array,
  offset: number,
  length: number,
  position: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buf, offset, length, position, (error, bytesRead) =>
      error ? reject(error) : resolve(bytesRead),
    );
  });
}

/** Closes a descriptor; never rejects (a failed close of a read-only fd loses nothing). */
export function closeFd(fd: number): Promise<void> {
  return new Promise((resolve) => {
    close(fd, () => resolve());
  });
}
