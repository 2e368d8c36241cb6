/**
 * The detail pane's content as display lines: a pure function of a {@link LaneView}, the
 * board clock and the worker log tail. Every worker-written string is sanitized here
 * (one line per entry; multi-line text is split first), so the pane renders plain text.
 */
import { formatAge, formatCountdown, shortSha } from '../state/format.js';
import { sanitizeMultiline, sanitizeText } from '../state/sanitize.js';
import type { Blocker, Source } from '../state/types.js';
import type { LaneView } from '../state/view-types.js';
import { workerCell } from './cells.js';
import type { Tone } from './theme.js';

/** One line of the detail pane. */
export interface DetailLine {
  readonly text: string;
  readonly tone: Tone;
  /** Section headings are bold. */
  readonly heading?: boolean;
}

/** What the pane knows about the worker log. */
export type LogTail =
  | { readonly state: 'none' }
  | { readonly state: 'loading' }
  | { readonly state: 'ok'; readonly text: string }
  | { readonly state: 'error'; readonly message: string };

const LINE_MAX = 400;
const RAW_LINES = 40;
const LOG_LINES = 40;
const t = (s: unknown): string => sanitizeText(s, LINE_MAX);

/**
 * A source in words: `state.json line 3 (lane.red), seen 4s ago`; with who said it first:
 * `transcript: hook-events.jsonl line 12 (hook.Interrupt), seen 2s ago`.
 */
function describeSource(src: Source | null, now: number): string {
  if (src === null) return '—';
  const via = src.via !== undefined ? `${src.via}: ` : '';
  const line = src.line !== undefined ? ` line ${src.line}` : '';
  const ev = src.event !== undefined ? ` (${src.event})` : '';
  return `${via}${src.file}${line}${ev}, seen ${formatAge(now - src.at)} ago`;
}

function blockerLines(b: Blocker, now: number): DetailLine[] {
  const since = b.since !== null ? `, since ${formatAge(now - b.since)}` : '';
  const reset =
    b.resetAt !== undefined && b.resetAt !== null
      ? `, resets in ${formatCountdown(b.resetAt - now)}`
      : '';
  return [
    { text: t(`• ${b.failureClass}: ${b.detail}`), tone: 'bad' },
    { text: t(`    next: ${b.nextAction || '—'}`), tone: 'plain' },
    { text: t(`    source: ${describeSource(b.source, now)}${since}${reset}`), tone: 'muted' },
  ];
}

/** Split multi-line untrusted text into sanitized lines, keeping the last `max`. */
function textLines(raw: unknown, max: number, tone: Tone, indent = '  '): DetailLine[] {
  const lines = sanitizeMultiline(raw).split('\n');
  const cut = lines.length > max ? lines.length - max : 0;
  const out: DetailLine[] =
    cut > 0 ? [{ text: `${indent}… ${cut} more lines`, tone: 'muted' }] : [];
  for (const l of lines.slice(cut)) out.push({ text: t(indent + l), tone });
  return out;
}

/** Pretty JSON of an untrusted value, first `max` lines. */
function jsonLines(value: unknown, max: number): DetailLine[] {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = '[unserializable]';
  }
  const lines = sanitizeMultiline(text).split('\n');
  const out: DetailLine[] = lines.slice(0, max).map((l) => ({ text: t(`  ${l}`), tone: 'muted' }));
  if (lines.length > max) out.push({ text: `  … ${lines.length - max} more lines`, tone: 'muted' });
  return out;
}

const head = (text: string): DetailLine => ({ text, tone: 'accent', heading: true });
const kv = (k: string, v: string | number | null, tone: Tone = 'plain'): DetailLine => ({
  text: t(`  ${k}: ${v === null ? '—' : v}`),
  tone,
});

function gitLines(v: LaneView): DetailLine[] {
  const g = v.git;
  const d = g.dirtyDetail;
  const out: DetailLine[] = [
    head('Git'),
    kv('branch', g.detached ? `detached at ${shortSha(g.head)}` : (g.branch ?? '—')),
    kv('configured branch', v.branch),
    kv('HEAD', shortSha(g.head)),
    kv('base', `${g.base}: ahead ${g.ahead ?? '?'}, behind ${g.behind ?? '?'} (${g.freshness})`),
    kv(
      'dirty',
      d === null
        ? 'unknown'
        : `${d.staged} staged, ${d.unstaged} unstaged, ${d.untracked} untracked, ${d.conflicted} conflicted`,
    ),
    kv(
      'diff',
      g.diff === null
        ? 'unknown'
        : `${g.diff.files} file${g.diff.files === 1 ? '' : 's'}, +${g.diff.insertions} \u2212${g.diff.deletions} against the merge base with ${g.base}`,
    ),
    kv(
      'upstream',
      g.upstream === null
        ? 'none'
        : `${g.upstream}: ahead ${g.upstreamAhead ?? '?'}, behind ${g.upstreamBehind ?? '?'}`,
    ),
  ];
  if (g.missing.length > 0) {
    out.push({ text: t(`  missing from ${g.base}:`), tone: 'warn' });
    for (const s of g.missing) out.push({ text: t(`    - ${s}`), tone: 'warn' });
  }
  if (g.error !== null) out.push(kv('error', g.error, 'bad'));
  return out;
}

function agentLines(v: LaneView, now: number): DetailLine[] {
  const a = v.agent;
  const hb = a.heartbeat;
  const out: DetailLine[] = [
    head('Agent'),
    kv('status', a.status === null ? 'no report' : `${a.status} (${a.kind})`),
    kv('phase', a.phase),
    kv('session', a.sessionId),
    kv('heartbeat', hb.at === null ? 'none' : `${formatAge(hb.ageMs)} ago (${hb.liveness})`),
    kv('dialect', a.dialect),
    kv('source', describeSource(a.source, now)),
  ];
  for (const [k, val] of Object.entries(a.notes)) out.push(kv(k, val));
  return out;
}

function workerLines(v: LaneView): DetailLine[] {
  const w = v.worker;
  const out: DetailLine[] = [
    head('Worker'),
    kv('state', `${workerCell(w).text} (${w.state})`),
    kv('pid', w.pid),
    kv('restarts', w.restarts),
  ];
  if (w.exitCode !== null || w.signal !== null) {
    out.push(kv('exit', `code ${w.exitCode ?? '—'}, signal ${w.signal ?? '—'}`));
  }
  if (w.nextStartInMs !== null) out.push(kv('next start in', formatCountdown(w.nextStartInMs)));
  if (w.adopted) out.push(kv('adopted', 'yes (from a board that exited)'));
  if (w.operatorStopped) out.push(kv('stopped by', 'operator'));
  if (w.error !== null) out.push(kv('error', w.error, 'bad'));
  return out;
}

function testLines(v: LaneView, now: number): DetailLine[] {
  const x = v.tests;
  return [
    head('Tests'),
    kv(
      'status',
      `${x.status}${x.level ? ` (${x.level})` : ''}${x.stale ? ' — STALE: not run on HEAD' : ''}`,
    ),
    kv('commit', x.commit === null ? '—' : shortSha(x.commit)),
    kv('passed / failed', `${x.passed ?? '?'} / ${x.failed ?? '?'}`),
    kv('source', describeSource(x.source, now)),
    kv('merge', v.mergeReady ? 'ready' : `not ready: ${v.mergeReasons.join('; ')}`),
  ];
}

/**
 * Build the detail pane lines of a lane.
 * @param v The lane view.
 * @param now Board clock (epoch ms), for ages of sources.
 * @param log The worker.log tail state.
 * @param muted The lane's notifications are muted (`m`); said under the lane's name.
 */
export function detailLines(
  v: LaneView,
  now: number,
  log: LogTail,
  muted: boolean = false,
): DetailLine[] {
  const out: DetailLine[] = [
    { text: t(`Lane ${v.id}`), tone: 'accent', heading: true },
    kv('repo', v.repo),
    kv('worktree', v.worktree),
    ...(muted ? [kv('notifications', 'muted (m unmutes)')] : []),
    ...workerLines(v),
    ...agentLines(v, now),
    head(`Blockers (${v.blockers.length})`),
  ];
  if (v.blockers.length === 0) out.push({ text: '  none', tone: 'muted' });
  for (const b of v.blockers) out.push(...blockerLines(b, now));
  out.push(...gitLines(v), ...testLines(v, now), head(`Steering (${v.steering.length})`));
  for (const m of v.steering) {
    const err = m.error !== null ? ` — ${m.error}` : '';
    const tone: Tone =
      m.delivery === 'delivered' ? 'ok' : m.delivery === 'pending' ? 'info' : 'bad';
    out.push({
      text: t(`  [${m.delivery}] ${m.text} (via ${m.via}, ${formatAge(now - m.sentAt)} ago)${err}`),
      tone,
    });
  }
  out.push(head(`Recent events (${v.recentEvents.length})`));
  for (const e of v.recentEvents) {
    out.push({
      text: t(`  ${formatAge(e.ageMs).padStart(4)}  ${e.name}${e.detail ? `: ${e.detail}` : ''}`),
      tone: 'plain',
    });
  }
  if (v.problems.length > 0) {
    out.push(head('Problems'));
    for (const p of v.problems) out.push({ text: t(`  ${p}`), tone: 'bad' });
  }
  out.push(head('Raw bridge data'));
  if (Object.keys(v.raw.extras).length > 0) {
    out.push({ text: '  unknown fields:', tone: 'plain' }, ...jsonLines(v.raw.extras, RAW_LINES));
  }
  for (const [name, raw] of [
    ['state', v.raw.state],
    ['result', v.raw.result],
    ['claw', v.raw.claw],
  ] as const) {
    if (raw === null || raw === undefined) continue;
    out.push({ text: `  ${name}:`, tone: 'plain' }, ...jsonLines(raw, RAW_LINES));
  }
  out.push(head('worker.log (tail)'));
  if (log.state === 'none') out.push({ text: '  not available', tone: 'muted' });
  else if (log.state === 'loading') out.push({ text: '  loading…', tone: 'muted' });
  else if (log.state === 'error')
    out.push({ text: t(`  unreadable: ${log.message}`), tone: 'bad' });
  else if (log.text === '') out.push({ text: '  (empty)', tone: 'muted' });
  else out.push(...textLines(log.text, LOG_LINES, 'plain'));
  return out;
}
