/**
 * Test helpers for the recipe tests: a private copy of `examples/recipes/` in a temp dir
 * (so runs never write into the repository), the recipe's own setup script, a `laneboard`
 * command on PATH that runs the built CLI, and the `--json` snapshot of a recipe.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, runCli } from './hook-cli.js';

/** A temp copy of examples/recipes and a PATH dir holding a `laneboard` shim. */
export interface RecipesCopy {
  /** Root of the copy (contains setup-lane.mjs and one dir per recipe). */
  readonly root: string;
  /** Directory to put first on PATH (`laneboard` → the built CLI). */
  readonly binDir: string;
  /** PATH value with {@link binDir} first. */
  readonly path: string;
  remove(): void;
}

/** Copy the recipes and make `laneboard` (the built CLI at `cliBin`) callable by name. */
export function copyRecipes(cliBin: string): RecipesCopy {
  const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'lb-recipes-')));
  const root = path.join(tmp, 'recipes');
  cpSync(path.join(REPO_ROOT, 'examples', 'recipes'), root, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}.work`) && !src.includes(`${path.sep}.laneboard`),
  });
  const binDir = path.join(tmp, 'bin');
  mkdirSync(binDir);
  const shim = path.join(binDir, 'laneboard');
  writeFileSync(
    shim,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliBin)} "$@"\n`,
  );
  chmodSync(shim, 0o755);
  return {
    root,
    binDir,
    path: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    remove: () => rmSync(tmp, { recursive: true, force: true }),
  };
}

/** Run the recipes' setup script for `recipe` and `lanes`; returns the worktree paths. */
export function setupLanes(copy: RecipesCopy, recipe: string, ...lanes: string[]): string[] {
  const out = execFileSync(
    process.execPath,
    [path.join(copy.root, 'setup-lane.mjs'), path.join(copy.root, recipe), ...lanes],
    { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } },
  );
  return out.trim().split('\n');
}

/** One lane of a `laneboard --json` snapshot (the fields recipe tests read). */
export interface JsonLane {
  id: string;
  agent: {
    status: string | null;
    kind: string;
    dialect: string | null;
    sessionId: string | null;
    notes: Record<string, string>;
  };
  blockers: {
    failureClass: string;
    detail: string;
    nextAction: string;
    source: { file: string };
  }[];
  tests: { status: string; level: string | null; stale: boolean };
  git: { freshness: string; dirty: number | null };
  mergeReady: boolean;
  mergeReasons: string[];
  lastEvent: { name: string; detail: string | null } | null;
  raw: { state: unknown; result: unknown; claw: unknown; extras: Record<string, unknown> };
  problems: string[];
}

/** `laneboard --json --config <config>` through the built CLI; returns lanes by id. */
export async function jsonSnapshot(
  cliBin: string,
  config: string,
): Promise<Record<string, JsonLane>> {
  const r = await runCli(cliBin, ['--json', '--config', config], { cwd: path.dirname(config) });
  if (r.code !== 0) throw new Error(`laneboard --json exited ${String(r.code)}: ${r.stderr}`);
  const snap = JSON.parse(r.stdout) as { lanes: JsonLane[] };
  return Object.fromEntries(snap.lanes.map((l) => [l.id, l]));
}
