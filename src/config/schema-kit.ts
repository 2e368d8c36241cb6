/**
 * Small zod building blocks that report problems as "expected …" issues the config
 * loader can position and phrase uniformly (pure; no I/O).
 *
 * Every issue these helpers add is a zod `custom` issue whose `params` is a
 * {@link KitIssueParams}: either `{ kind: 'expected', expected }` (the value at the issue
 * path is wrong; `expected` reads like "one of never | on-failure | always") or
 * `{ kind: 'unknown-key', key, allowed, reason? }` (a map has a key it must not have).
 */
import { z } from 'zod';

/** Sentinel returned by a value parser to reject the value. */
export const FAIL: unique symbol = Symbol('config-fail');
/** Type of {@link FAIL}. */
export type Fail = typeof FAIL;

/** `params` of the custom issues added by this module. */
export type KitIssueParams =
  | {
      readonly kind: 'expected';
      readonly expected: string;
      /** The issue is about the map key at the path (e.g. a bad env name), not its value. */
      readonly atKey?: boolean;
    }
  | {
      readonly kind: 'unknown-key';
      readonly key: string;
      readonly allowed: readonly string[];
      /** Why the key is refused although it exists elsewhere (e.g. per-lane only). */
      readonly reason?: string;
    };

/** A zod schema from unknown YAML data to `T`. */
export type Parser<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

/** True for a plain object as produced by `yaml`'s `toJS()` for a map. */
export function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Add an "expected …" issue at the current path (plus `sub`, relative); `atKey` marks an
 * issue about the last path segment's key rather than its value.
 */
export function addExpected(
  ctx: z.RefinementCtx,
  expected: string,
  sub: (string | number)[] = [],
  atKey = false,
): void {
  const params: KitIssueParams = { kind: 'expected', expected, ...(atKey ? { atKey } : {}) };
  ctx.addIssue({ code: z.ZodIssueCode.custom, path: sub, message: `expected ${expected}`, params });
}

/**
 * A value parser: `parse` returns the converted value or {@link FAIL}; on FAIL one issue
 * `expected <expected>` is added at the value's path.
 */
export function value<T>(expected: string, parse: (v: unknown) => T | Fail): Parser<T> {
  return z.unknown().transform((v, ctx): T => {
    const out = parse(v);
    if (out === FAIL) {
      addExpected(ctx, expected);
      return z.NEVER;
    }
    return out;
  });
}

/** `one of a | b | c`: accepts exactly one of `options` (strings, case-sensitive). */
export function oneOf<const T extends string>(options: readonly T[]): Parser<T> {
  return value(`one of ${options.join(' | ')}`, (v) =>
    typeof v === 'string' && (options as readonly string[]).includes(v) ? (v as T) : FAIL,
  );
}

/** Run `schema` on `v` and forward its issues (paths relative to the current one) into `ctx`. */
export function delegate<T>(schema: Parser<T>, v: unknown, ctx: z.RefinementCtx): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue(issue);
  return z.NEVER;
}

/**
 * A {@link mapOf} parser, which keeps its raw zod `shape` visible (the key → schema table)
 * so the keys of lanes.yaml can be listed from the schema itself (./settings-doc.ts).
 */
export type MapParser<S extends z.ZodRawShape> = Parser<z.output<z.ZodObject<S>>> & {
  readonly shape: S;
};

/**
 * A map with exactly the keys of `shape` (each may be optional in the shape). Non-maps get
 * `expected a map`; every extra key gets an `unknown-key` issue at `[key]` (with `reason`
 * from `forbidden[key]` when given); all value issues are reported too. The parser carries
 * `shape` ({@link MapParser}).
 */
export function mapOf<S extends z.ZodRawShape>(
  shape: S,
  forbidden: Readonly<Record<string, string>> = {},
): MapParser<S> {
  const inner = z.object(shape);
  const allowed = Object.keys(shape);
  const parser = z.unknown().transform((v, ctx): z.output<z.ZodObject<S>> => {
    if (!isPlainMap(v)) {
      addExpected(ctx, 'a map');
      return z.NEVER;
    }
    for (const key of Object.keys(v)) {
      if (Object.hasOwn(shape, key)) continue;
      const reason = Object.hasOwn(forbidden, key) ? forbidden[key] : undefined;
      const params: KitIssueParams = {
        kind: 'unknown-key',
        key,
        allowed,
        ...(reason ? { reason } : {}),
      };
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [key], message: 'unknown key', params });
    }
    return delegate(inner as unknown as Parser<z.output<z.ZodObject<S>>>, v, ctx);
  });
  return Object.assign(parser, { shape });
}

/**
 * The dotted key paths of every leaf of a {@link mapOf} shape, in declaration order
 * (`heartbeat.warn`, …): optional wrappers are looked through, nested maps recursed into,
 * anything else is a leaf.
 */
export function leafKeys(shape: z.ZodRawShape, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const inner: unknown = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
    const nested =
      typeof inner === 'object' &&
      inner !== null &&
      'shape' in inner &&
      !(inner instanceof z.ZodObject)
        ? (inner as { shape: z.ZodRawShape }).shape
        : null;
    if (nested) out.push(...leafKeys(nested, `${prefix}${key}.`));
    else out.push(`${prefix}${key}`);
  }
  return out;
}

/**
 * Pick a parser by the value's kind: `scalar` for strings, `map` for maps; anything else
 * (or a kind without a parser) gets `expected <expected>`.
 */
export function byKind<A, B>(
  expected: string,
  scalar: Parser<A> | null,
  map: Parser<B> | null,
): Parser<A | B> {
  return z.unknown().transform((v, ctx): A | B => {
    const schema = typeof v === 'string' ? scalar : isPlainMap(v) ? map : null;
    if (schema === null) {
      addExpected(ctx, expected);
      return z.NEVER;
    }
    return delegate<A | B>(schema, v, ctx);
  });
}
