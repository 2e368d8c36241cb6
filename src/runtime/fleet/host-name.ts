/**
 * The default fleet host name (no imports beyond node:os, so the lean `--json --nats`
 * bundle can use it).
 */
import { hostname } from 'node:os';

/** The default host name: the machine's hostname up to its first dot ('localhost' if empty). */
export function defaultHostName(): string {
  return hostname().split('.')[0] || 'localhost';
}
