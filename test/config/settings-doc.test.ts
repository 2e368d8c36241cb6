// The settings reference is one table (src/config/settings-doc.ts): every key the schema
// accepts has a row, every row names schema keys, and docs/lanes-yaml.md holds the table
// as generated (npm run gen:docs). The lanes table names every lane key of the schema.
import { readFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { rawLane } from '../../src/config/schema.js';
import { SETTINGS_TABLE, settingKeys, withSettingsTable } from '../../src/config/settings-doc.js';

const PAGE = new URL('../../docs/lanes-yaml.md', import.meta.url);

describe('lanes.yaml reference', () => {
  it('documents every setting of the schema once, as generated, and every lane key', async () => {
    const documented = SETTINGS_TABLE.flatMap((r) => r.keys);
    expect([...documented].sort()).toEqual([...settingKeys()].sort());
    expect(new Set(documented).size).toBe(documented.length);

    const page = readFileSync(PAGE, 'utf8');
    const options = (await resolveConfig(PAGE.pathname)) ?? {};
    const expected = await format(withSettingsTable(page), { ...options, filepath: PAGE.pathname });
    // On failure: run `npm run gen:docs` and commit docs/lanes-yaml.md.
    expect(page).toBe(expected);

    const lanes = page.slice(page.indexOf('\n## Lanes'), page.indexOf('\n## Rate limits'));
    for (const key of Object.keys(rawLane.shape)) expect(lanes).toContain(`| \`${key}\` `);
  });
});
