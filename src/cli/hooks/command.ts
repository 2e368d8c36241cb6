/**
 * `laneboard hooks install|uninstall|status`: writes laneboard's hook entries into each
 * selected lane's agent settings (see ./agents.ts for which file per agent), merging with
 * what is there (./merge.ts), removes only laneboard's entries again, and reports per lane
 * whether hooks are installed and when the lane's last hook event arrived.
 * Exit codes: 0 done; 1 a settings file could not be read, parsed or written (the others
 * are still processed; the bad file is left untouched); 2 bad usage or bad lanes.yaml.
 */
import { execFile } from 'node:child_process';
import { appendFile, mkdir, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Option, type Command } from 'commander';
import { ConfigError, formatConfigError, loadConfig } from '../../config/index.js';
import type { BoardConfig, LaneConfig } from '../../state/config-types.js';
import { makeOwnDir } from '../../runtime/bridge/own-dir.js';
import { targetsFor, type AgentFamily, type InstallTarget, type Runner } from './agents.js';
import { installedEvents, mergeHooks, removeHooks, type MergeResult } from './merge.js';
import { errorMessage } from '../../state/error-text.js';
import { BRIDGE_FILE } from '../../state/bridge-files.js';
import { readCreated, recordCreated } from './created-record.js';
import { settingsText } from './settings-text.js';
import { readSettings, removeCreated, writeSettings } from './settings-file.js';

const run = promisify(execFile);

/** Options shared by the three verbs. */
interface Selection {
  readonly agent: AgentFamily;
  readonly lane?: string[];
  readonly all?: boolean;
  readonly dryRun?: boolean;
}

type Out = (line: string) => void;

/** Lists `relPath` in the repository's shared exclude file so the worktree stays clean. */
async function excludeFromGit(worktree: string, relPath: string): Promise<void> {
  const { stdout } = await run('git', ['rev-parse', '--git-common-dir'], { cwd: worktree });
  const common = resolve(worktree, stdout.trim());
  const file = join(common, 'info', 'exclude');
  const text = await readFile(file, 'utf8').catch(() => '');
  const line = `/${relPath}`;
  if (text.split('\n').includes(line)) return;
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`);
}

function selectLanes(config: BoardConfig, sel: Selection): LaneConfig[] {
  if (sel.lane && sel.lane.length > 0) {
    return sel.lane.map((id) => {
      const lane = config.lanes.find((l) => l.id === id);
      if (!lane) throw new UsageError(`no lane "${id}" in ${config.file}`);
      return lane;
    });
  }
  if (sel.all) return [...config.lanes];
  throw new UsageError('say which lanes: --lane <id> (repeatable) or --all');
}

class UsageError extends Error {}

async function runner(): Promise<Runner> {
  const bin = process.argv[1] ? await realpath(process.argv[1]).catch(() => process.argv[1]) : '';
  return { node: process.execPath, bin: bin ?? 'laneboard' };
}

function describe(t: InstallTarget, r: MergeResult, verb: string, out: Out): void {
  const who = t.laneIds.length === 1 ? `lane ${t.laneIds[0]}` : `${t.laneIds.length} lanes`;
  if (!r.changed) {
    out(
      `${t.file}: already ${verb === 'uninstall' ? 'without laneboard hooks' : 'up to date'} (${who})`,
    );
    return;
  }
  if (r.added.length > 0) out(`${t.file}: + ${r.added.join(', ')} (${who})`);
  if (r.removed.length > 0) out(`${t.file}: - ${r.removed.join(', ')} (${who})`);
}

async function apply(
  targets: readonly InstallTarget[],
  verb: 'install' | 'uninstall',
  opts: { readonly dryRun: boolean; readonly stateDir: string },
  out: Out,
  err: Out,
): Promise<number> {
  let code = 0;
  const created = await readCreated(opts.stateDir);
  for (const t of targets) {
    try {
      const { exists, text, doc } = await readSettings(t.file);
      const r = verb === 'install' ? mergeHooks(doc, t.wanted) : removeHooks(doc);
      describe(t, r, verb, out);
      // A file install created goes once nothing but laneboard's hooks was in it.
      const made = created[t.file];
      const drop = verb === 'uninstall' && made !== undefined && Object.keys(r.doc).length === 0;
      if (opts.dryRun) {
        if (drop && exists) out(`${t.file}: would be removed (laneboard created it)`);
        else if (r.changed) out(settingsText(text, doc, r.doc));
        continue;
      }
      if (drop) {
        if (exists) out(`${t.file}: removed (laneboard created it; nothing else was in it)`);
        await removeCreated(t.file, made);
        await recordCreated(opts.stateDir, t.file, undefined);
      } else if (r.changed) {
        const dir = await writeSettings(t.file, settingsText(text, doc, r.doc));
        if (!exists) await recordCreated(opts.stateDir, t.file, dir);
      }
      if (verb === 'install' && t.worktree && t.relPath)
        await excludeFromGit(t.worktree, t.relPath).catch(() => undefined);
      if (verb === 'install') for (const b of t.bridges) await makeOwnDir(b).catch(() => undefined);
    } catch (e) {
      err(`laneboard hooks ${verb}: ${t.file}: ${errorMessage(e)}; left untouched`);
      code = 1;
    }
  }
  if (verb === 'install' && !opts.dryRun && targets.some((t) => t.agent === 'codex'))
    out(
      'Codex runs new hooks only after you trust them: start `codex` once in a lane worktree; at "Hooks need review" choose "Trust all and continue" (or review them in /hooks). laneboard does not bypass that step.',
    );
  return code;
}

async function lastEvent(lane: LaneConfig): Promise<string> {
  const s = await stat(join(lane.bridge, BRIDGE_FILE.hookEvents)).catch(() => null);
  if (!s) return 'no hook event yet';
  const ageS = Math.max(0, Math.round((Date.now() - s.mtimeMs) / 1000));
  return `last hook event ${new Date(s.mtimeMs).toISOString()} (${ageS} s ago)`;
}

async function status(
  config: BoardConfig,
  lanes: readonly LaneConfig[],
  agent: AgentFamily,
  r: Runner,
  out: Out,
): Promise<number> {
  for (const t of targetsFor(agent, lanes, config.file, r, process.env)) {
    const doc = await readSettings(t.file).then(
      (r) => r.doc,
      () => null,
    );
    const have = doc === null ? [] : installedEvents(doc);
    const want = Object.keys(t.wanted);
    const missing = want.filter((e) => !have.includes(e));
    const state =
      doc === null
        ? 'settings unreadable'
        : have.length === 0
          ? 'not installed'
          : missing.length === 0
            ? 'installed'
            : `partly installed (missing ${missing.join(', ')})`;
    for (const id of t.laneIds) {
      const lane = lanes.find((l) => l.id === id);
      out(`${id}\t${agent}\t${state}\t${t.file}\t${lane ? await lastEvent(lane) : ''}`);
    }
  }
  return 0;
}

/** Run one verb; resolves with the exit code. */
async function runHooks(
  verb: 'install' | 'uninstall' | 'status',
  configPath: string,
  sel: Selection,
  out: Out = (l) => process.stdout.write(`${l}\n`),
  err: Out = (l) => process.stderr.write(`${l}\n`),
): Promise<number> {
  let config: BoardConfig;
  try {
    config = await loadConfig(configPath, { checkRepos: false });
  } catch (e) {
    err(e instanceof ConfigError ? formatConfigError(e) : `laneboard: ${String(e)}`);
    return 2;
  }
  try {
    const lanes =
      verb === 'status' && !sel.lane?.length && !sel.all ? config.lanes : selectLanes(config, sel);
    const r = await runner();
    if (verb === 'status') return await status(config, lanes, sel.agent, r, out);
    return await apply(
      targetsFor(sel.agent, lanes, config.file, r, process.env),
      verb,
      { dryRun: sel.dryRun === true, stateDir: config.stateDir },
      out,
      err,
    );
  } catch (e) {
    if (e instanceof UsageError) {
      err(`laneboard hooks ${verb}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

/** Adds `hooks install|uninstall|status` to the program. */
export function registerHooksCommand(program: Command): void {
  const hooks = program
    .command('hooks')
    .description("install, remove or check laneboard's hooks in the lanes' agent settings");
  const common = (c: Command): Command =>
    c
      .addOption(
        new Option('--agent <name>', 'agent family')
          .choices(['claude', 'codex', 'gemini'])
          .default('claude'),
      )
      .option('--lane <id>', 'a lane (repeatable)', (v: string, prev: string[] = []) => [
        ...prev,
        v,
      ])
      .option('--all', 'every lane in lanes.yaml')
      .option('-c, --config <path>', 'lanes.yaml', 'lanes.yaml');
  for (const verb of ['install', 'uninstall', 'status'] as const) {
    const c = hooks
      .command(verb)
      .description(
        verb === 'install'
          ? "merge laneboard's hooks into each lane's agent settings (keeps your own hooks; idempotent)"
          : verb === 'uninstall'
            ? "remove laneboard's hook entries (only those) from each lane's agent settings"
            : 'per lane: are the hooks installed, and when did the last hook event arrive',
      );
    common(c);
    if (verb !== 'status') {
      c.option('--dry-run', 'print the change, write nothing');
      c.addHelpText(
        'after',
        '\nExit 1 when a settings file cannot be read, parsed or written: that file is left\nuntouched, the others are still done.',
      );
    }
    c.action(async (o: Selection, cmd: Command) => {
      const { config } = cmd.optsWithGlobals<{ config: string }>();
      process.exitCode = await runHooks(verb, config, o);
    });
  }
}
