/**
 * The shipped snapshot JSON Schema (schema/snapshot.schema.json, draft-07) compiled with
 * ajv (`allErrors`, `strict: false`), with a real `date-time` check (RFC 3339 section 5.6,
 * the definition JSON Schema's `format: date-time` refers to) so `generatedAt` is
 * validated too, without adding ajv-formats.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

/** RFC 3339 `date-time`: full-date "T" full-time with a Z or ±hh:mm offset. */
const RFC3339 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** True when `s` is an RFC 3339 date-time that also parses as a real date. */
export function isDateTime(s: string): boolean {
  return RFC3339.test(s) && !Number.isNaN(Date.parse(s));
}

/** A compiled validator: returns [] for a valid snapshot, else one readable line per error. */
export type SnapshotValidator = (value: unknown) => string[];

/** Compile the schema file at `schemaPath` (the copy shipped next to the built CLI). */
export function loadSnapshotValidator(schemaPath: string): SnapshotValidator {
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  const validate = ajv.compile(schema);
  return (value) => {
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'} ${JSON.stringify(e.params)}`,
    );
  };
}
