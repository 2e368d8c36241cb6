/**
 * Writes schema/snapshot.schema.json (JSON Schema draft-07 of `laneboard.snapshot/1`) from
 * the one zod definition in src/state/snapshot-schema.ts, formatted with the repository's
 * prettier settings. Run `npm run gen:schema` after changing the contract and commit both;
 * test/state/snapshot-schema.test.ts fails while the checked-in file differs.
 */
import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { snapshotJsonSchema } from '../src/state/snapshot-schema.js';

const out = new URL('../schema/snapshot.schema.json', import.meta.url);
const options = (await resolveConfig(out.pathname)) ?? {};
writeFileSync(
  out,
  await format(JSON.stringify(snapshotJsonSchema()), { ...options, parser: 'json' }),
);
