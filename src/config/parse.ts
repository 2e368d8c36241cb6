/**
 * `parseConfig`: lanes.yaml text → validated, resolved {@link BoardConfig}, or one
 * {@link ConfigError} listing every problem with its line and column.
 *
 * Pipeline: size guard → fast path (./fast-yaml.ts: `js-yaml` to JS data; a config that
 * validates is returned without positions) → otherwise `yaml.parseDocument` (syntax errors, duplicate keys) →
 * `toJS` with a small alias budget (alias bombs) → zod shapes per section (unknown keys,
 * types, enums) → defaults and path resolution → cross-lane checks (duplicate ids,
 * worktrees, bridges; bridges that would dirty a worktree, ./bridge-check.ts) → repository checks (filesystem, optional). Reference:
 * docs/lanes-yaml.md.
 */
import os from 'node:os';
import path from 'node:path';
import { LineCounter, parseDocument, visit } from 'yaml';
import type { Document } from 'yaml';
import type { BoardConfig, LaneConfig } from '../state/config-types.js';
import { OWN_DIR } from '../state/state-files.js';
import { bridgeIssues } from './bridge-check.js';
import { ConfigError } from './errors.js';
import type { ConfigIssue } from './errors.js';
import { fromZod, valueAt } from './issues.js';
import type { PathIssue } from './issues.js';
import { locate, positionOf } from './positions.js';
import { gitRepoProblem } from './repo-check.js';
import { fastLoad } from './fast-yaml.js';
import { expandPath, repoMessage, resolveLane, resolveSettings } from './resolve.js';
import type { ResolvedLane } from './resolve.js';
import { isPlainMap } from './schema-kit.js';
import type { Parser } from './schema-kit.js';
import { rawDefaults, rawLane, rawSettings, rawTop } from './schema.js';
import type { RawDefaults } from './schema.js';
import { formatPath, quote } from './text.js';
import { errorMessage } from '../state/error-text.js';

/** Largest config accepted (bytes of UTF-8): 1 MiB. Larger input is refused unparsed. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Alias budget passed to yaml's `toJS` (`maxAliasCount`): resolving aliases costs at most
 * about this many node copies per alias, so "billion laughs" documents fail fast.
 */
const MAX_ALIAS_COUNT = 50;

/** Options of {@link parseConfig} / `loadConfig`. */
export interface ParseOptions {
  /** Check that every lane's `repo` exists and is a git repository. @default true */
  readonly checkRepos?: boolean;
  /** Directory `~` expands to. @default `$HOME`, else `os.homedir()` */
  readonly home?: string;
}

const FAILED = Symbol('failed');

/** Build a ConfigError with one issue at 1:1 of `file` (whole-file problems). */
export function fileError(file: string, message: string): ConfigError {
  return new ConfigError([{ file, line: 1, column: 1, path: '', message }]);
}

/** Run a section parser, collecting its issues (prefixed with `prefix`). */
function run<T>(
  schema: Parser<T>,
  data: unknown,
  prefix: readonly (string | number)[],
  out: PathIssue[],
): T | typeof FAILED {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  for (const issue of r.error.issues) out.push(fromZod(issue, data, prefix));
  return FAILED;
}

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * Validate and resolve a lanes.yaml text.
 * @param text the file's contents (already decoded; a leading BOM is ignored by yaml).
 * @param file path of the file (relative to cwd or absolute); relative paths in the config
 *   resolve against its directory, and issues name it.
 * @param opts see {@link ParseOptions}; `checkRepos: false` makes this free of filesystem access.
 * @returns the resolved config (all paths absolute, defaults applied, durations in ms,
 *   sizes in bytes).
 * @throws {ConfigError} with every issue found (never any other error).
 */
export function parseConfig(text: string, file: string, opts: ParseOptions = {}): BoardConfig {
  const abs = path.resolve(file);
  try {
    return parseUnsafe(text, abs, opts);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw fileError(abs, `could not read the config: ${errorMessage(err)}`);
  }
}

function parseUnsafe(text: string, file: string, opts: ParseOptions): BoardConfig {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) {
    throw fileError(
      file,
      `config is ${bytes} bytes; files larger than ${MAX_CONFIG_BYTES} bytes (1 MiB) are refused`,
    );
  }
  // Fast path (./fast-yaml.ts): a config that validates needs no positions.
  const fast = fastLoad(text);
  if (isPlainMap(fast)) {
    const r = validate(fast, file, opts, () => 0);
    if (!Array.isArray(r)) return r;
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const at = (p: PathIssue): ConfigIssue => ({
    file,
    ...locate(doc, lc, p.path, p.atKey),
    path: formatPath(p.path),
    message: p.message,
    ...(p.expected !== undefined ? { expected: p.expected } : {}),
  });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => ({
        file,
        ...positionOf(lc, e.pos[0]),
        path: '',
        message: /call stack/i.test(e.message)
          ? 'YAML syntax error: nesting is too deep'
          : `YAML syntax error: ${e.message}`,
      })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = /alias/i.test(errorMessage(err))
      ? `too many YAML alias expansions (more than ${MAX_ALIAS_COUNT}); refusing a possible alias bomb`
      : `could not read the YAML document: ${errorMessage(err)}`;
    throw new ConfigError([{ file, ...positionOf(lc, firstAliasOffset(doc)), path: '', message }]);
  }
  if (!isPlainMap(data)) {
    const got =
      data === null || data === undefined ? 'the file is empty' : 'the top level is not a map';
    throw new ConfigError([
      at({ path: [], message: `${got}; expected a map with a "lanes" list` }),
    ]);
  }
  const r = validate(data, file, opts, (p) => locate(doc, lc, p).line);
  if (Array.isArray(r)) throw new ConfigError(r.map(at));
  return r;
}

/**
 * Validate and resolve parsed lanes.yaml data.
 * @param data the document's top-level map.
 * @param file absolute path of the config.
 * @param opts see {@link ParseOptions}.
 * @param lineOf 1-based line of a value path (used in the duplicate-id message).
 * @returns the resolved config, or every issue found (with value paths, no positions).
 */
function validate(
  data: Record<string, unknown>,
  file: string,
  opts: ParseOptions,
  lineOf: (path: readonly (string | number)[]) => number,
): BoardConfig | PathIssue[] {
  const dir = path.dirname(file);
  const issues: PathIssue[] = [];
  run(rawTop, data, [], issues);
  const settingsRaw =
    data.settings === undefined || data.settings === null
      ? undefined
      : run(rawSettings, data.settings, ['settings'], issues);
  const defaults: RawDefaults | typeof FAILED =
    data.defaults === undefined || data.defaults === null
      ? {}
      : run(rawDefaults, data.defaults, ['defaults'], issues);
  const { settings, issues: settingIssues } = resolveSettings(
    settingsRaw === FAILED ? undefined : settingsRaw,
  );
  if (settingsRaw !== FAILED) issues.push(...settingIssues);

  const lanesData: unknown[] = Array.isArray(data.lanes) ? (data.lanes as unknown[]) : [];
  const ctx = { dir, home: opts.home ?? (process.env.HOME || os.homedir()) };
  const resolved: ResolvedLane[] = [];
  const repos: RepoRef[] = [];
  const firstById = new Map<string, number>();
  const duplicates = new Set<number>();
  lanesData.forEach((laneData, i) => {
    const id = valueAt(laneData, ['id']);
    if (typeof id === 'string') {
      const first = firstById.get(id);
      if (first === undefined) firstById.set(id, i);
      else {
        duplicates.add(i);
        const line = lineOf(['lanes', first, 'id']);
        issues.push({
          path: ['lanes', i, 'id'],
          message: `duplicate lane id ${quote(id)} (first defined at line ${line})`,
        });
      }
    }
    const lane = run(rawLane, laneData, ['lanes', i], issues);
    if (lane !== FAILED && defaults !== FAILED) {
      const r = resolveLane(lane, defaults, i, ctx);
      issues.push(...r.issues);
      if (r.resolved) {
        resolved.push(r.resolved);
        repos.push({
          abs: r.resolved.lane.repo,
          written: r.resolved.repoWritten,
          path: r.resolved.repoPath,
        });
      }
      return;
    }
    // The lane is broken elsewhere: still check a repo it names itself (all issues at once).
    const repo = valueAt(laneData, ['repo']);
    if (typeof repo === 'string' && repo !== '' && !repo.includes('\0')) {
      repos.push({ abs: expandPath(repo, ctx), written: repo, path: ['lanes', i, 'repo'] });
    }
  });
  if (
    defaults !== FAILED &&
    defaults.repo !== undefined &&
    !repos.some((r) => r.path[0] === 'defaults')
  ) {
    repos.push({
      abs: expandPath(defaults.repo, ctx),
      written: defaults.repo,
      path: ['defaults', 'repo'],
    });
  }

  issues.push(...crossLaneIssues(resolved.filter((r) => !duplicates.has(r.index))));
  issues.push(...bridgeIssues(resolved, opts.checkRepos !== false));
  if (opts.checkRepos !== false) issues.push(...repoIssues(repos));
  if (issues.length > 0) return issues;
  return {
    file,
    dir,
    stateDir: path.join(dir, OWN_DIR),
    settings,
    lanes: resolved.map((r) => r.lane),
  };
}

/** Two lanes sharing a worktree or a bridge directory would corrupt each other's state. */
function crossLaneIssues(lanes: readonly ResolvedLane[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const seen = { worktree: new Map<string, LaneConfig>(), bridge: new Map<string, LaneConfig>() };
  lanes.forEach((r) => {
    const i = r.index;
    for (const key of ['worktree', 'bridge'] as const) {
      const p = r.lane[key];
      const other = seen[key].get(p);
      if (other === undefined) seen[key].set(p, r.lane);
      else
        issues.push({
          path: ['lanes', i, key],
          message: `${key} ${quote(p, 500)} is also used by lane ${quote(other.id)}`,
        });
    }
  });
  return issues;
}

/** A `repo` value to check: absolute path, as written, and where it is written. */
interface RepoRef {
  readonly abs: string;
  readonly written: string;
  readonly path: readonly (string | number)[];
}

/** One issue per written `repo` value that is not a git repository (each path checked once). */
function repoIssues(repos: readonly RepoRef[]): PathIssue[] {
  const issues: PathIssue[] = [];
  const reported = new Set<string>();
  const cache = new Map<string, string | null>();
  for (const r of repos) {
    const key = JSON.stringify(r.path);
    if (reported.has(key)) continue;
    reported.add(key);
    let problem = cache.get(r.abs);
    if (problem === undefined) {
      problem = gitRepoProblem(r.abs);
      cache.set(r.abs, problem);
    }
    if (problem !== null)
      issues.push({ path: r.path, message: repoMessage(r.written, r.abs, problem) });
  }
  return issues;
}
