/**
 * The text of an agent's settings file after `hooks install|uninstall`, changed only where
 * laneboard's entries are: the document's other keys, the user's own hook groups, their
 * layout, indentation and line ends stay byte for byte as they were. The new document comes
 * from the pure merge (./merge.ts); this module only decides how to write it, as text edits
 * at the nodes jsonc-parser (VS Code's JSON parser) finds: a property or an array element
 * appended after the last one (indented one step deeper than its container's line), or
 * removed together with the comma and blanks before it. An append followed by the removal
 * of the same node gives the text back exactly, so `install` then `uninstall` restores the
 * file as it was (test/agents/hooks-install.test.ts).
 */
import { isDeepStrictEqual } from 'node:util';
import { findNodeAtLocation, parseTree, type JSONPath, type Node } from 'jsonc-parser';

type Doc = Record<string, unknown>;

const isObj = (x: unknown): x is Doc => x !== null && typeof x === 'object' && !Array.isArray(x);

/** How new text is laid out: null for a document on one line (compact, as the rest). */
type Layout = { readonly unit: string; readonly eol: string } | null;

/** The file's layout: its first indentation (tabs or spaces; 2 spaces if none) and line end. */
function layoutOf(text: string): Layout {
  if (!text.trim().includes('\n')) return null;
  return {
    unit: /\n([ \t]+)"/.exec(text)?.[1] ?? '  ',
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/** The blanks that start the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** `value` as JSON laid out like the file, its inner lines starting at `indent`. */
function render(value: unknown, layout: Layout, indent: string): string {
  if (layout === null) return JSON.stringify(value);
  return JSON.stringify(value, null, layout.unit).replace(/\n/g, `${layout.eol}${indent}`);
}

const splice = (text: string, from: number, to: number, insert: string): string =>
  text.slice(0, from) + insert + text.slice(to);

/** The container (object or array value) at `path` of `text`; throws when there is none. */
function containerAt(text: string, path: JSONPath): Node {
  const root = parseTree(text);
  const node = root === undefined ? undefined : findNodeAtLocation(root, path);
  if (node === undefined || (node.type !== 'object' && node.type !== 'array'))
    throw new Error(`no object or array at ${path.join('.')}`);
  return node;
}

/** `text` with `value` appended to the container at `path` (as property `key` of an object). */
function append(
  text: string,
  path: JSONPath,
  key: string | null,
  value: unknown,
  layout: Layout,
): string {
  const parent = containerAt(text, path);
  const outer = lineIndent(text, parent.offset);
  const inner = layout === null ? '' : outer + layout.unit;
  const nl = layout === null ? '' : layout.eol;
  const item = `${key === null ? '' : `${JSON.stringify(key)}:${layout === null ? '' : ' '}`}${render(value, layout, inner)}`;
  const last = parent.children?.at(-1);
  if (last !== undefined) {
    const at = last.offset + last.length;
    return splice(text, at, at, `,${nl}${inner}${item}`);
  }
  // An empty container: its inside becomes the one item.
  return splice(
    text,
    parent.offset + 1,
    parent.offset + parent.length - 1,
    `${nl}${inner}${item}${nl}${outer}`,
  );
}

/**
 * `text` without child `index` of the container at `path`: from the end of the child before
 * it (so its comma and blanks go too), from its start to the next child's when it is the
 * first, or the container's whole inside when it is the only one.
 */
function remove(text: string, path: JSONPath, index: number): string {
  const parent = containerAt(text, path);
  const children = parent.children ?? [];
  const node = children[index];
  if (node === undefined) return text;
  const end = (n: Node): number => n.offset + n.length;
  const before = children[index - 1];
  const after = children[index + 1];
  if (before !== undefined) return splice(text, end(before), end(node), '');
  if (after !== undefined) return splice(text, node.offset, after.offset, '');
  return splice(text, parent.offset + 1, end(parent) - 1, '');
}

/** Index of property `key` in the object at `path`, or -1. */
function propertyIndex(text: string, path: JSONPath, key: string): number {
  return (containerAt(text, path).children ?? []).findIndex((p) => p.children?.[0]?.value === key);
}

/** `text` with property `key` of the object at `path` set to `value` (appended when new). */
function setProperty(text: string, path: JSONPath, key: string, value: unknown, layout: Layout) {
  const i = propertyIndex(text, path, key);
  if (i < 0) return append(text, path, key, value, layout);
  const valueNode = containerAt(text, path).children?.[i]?.children?.[1];
  if (valueNode === undefined) throw new Error(`no value at ${key}`);
  const indent = lineIndent(text, valueNode.offset);
  const at = valueNode.offset;
  return splice(text, at, at + valueNode.length, render(value, layout, indent));
}

/**
 * `text` with the array at `path` changed from `was` to `now`: the elements both start
 * with stay untouched, the rest of `was` is removed (from the end) and the rest of `now` is
 * appended (laneboard's groups follow the user's; ./merge.ts).
 */
function editArray(
  text: string,
  path: JSONPath,
  was: readonly unknown[],
  now: readonly unknown[],
  layout: Layout,
): string {
  let same = 0;
  while (same < was.length && same < now.length && isDeepStrictEqual(was[same], now[same])) same++;
  let out = text;
  for (let i = was.length - 1; i >= same; i--) out = remove(out, path, i);
  for (const item of now.slice(same)) out = append(out, path, null, item, layout);
  return out;
}

/** `text` with the document's `hooks` changed from `was` to `now`, event by event. */
function editHooks(text: string, was: unknown, now: unknown, layout: Layout): string {
  if (!isObj(now)) {
    const i = propertyIndex(text, [], 'hooks');
    return i < 0 ? text : remove(text, [], i);
  }
  if (!isObj(was)) return setProperty(text, [], 'hooks', now, layout);
  let out = text;
  for (const event of new Set([...Object.keys(was), ...Object.keys(now)])) {
    const a = was[event];
    const b = now[event];
    if (isDeepStrictEqual(a, b)) continue;
    if (b === undefined) out = remove(out, ['hooks'], propertyIndex(out, ['hooks'], event));
    else if (Array.isArray(a) && Array.isArray(b))
      out = editArray(out, ['hooks', event], a, b, layout);
    else out = setProperty(out, ['hooks'], event, b, layout);
  }
  return out;
}

/**
 * The new text of a settings file whose document goes from `before` (parsed from `text`)
 * to `after` (the same document with laneboard's hooks merged in or removed: only its
 * `hooks` key differs). When the edits do not give exactly `after` (a layout they cannot
 * follow), the whole document is written instead, indented by two spaces.
 * @param text the file's current text ('' when it does not exist yet).
 */
export function settingsText(text: string, before: unknown, after: Doc): string {
  const whole = `${JSON.stringify(after, null, 2)}\n`;
  if (text.trim() === '' || !isObj(before)) return whole;
  try {
    const out = editHooks(text, before.hooks, after.hooks, layoutOf(text));
    if (isDeepStrictEqual(JSON.parse(out), after)) return out;
  } catch {
    // Not expected for valid JSON: the whole document is written below.
  }
  return whole;
}
