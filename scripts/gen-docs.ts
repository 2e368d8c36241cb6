/**
 * Rewrites the generated parts of docs/: the `settings` table of docs/lanes-yaml.md from
 * the one table in src/config/settings-doc.ts (schema keys, defaults from
 * DEFAULT_SETTINGS, meanings), formatted with the repository's prettier settings. Run
 * `npm run gen:docs` after changing a setting and commit the page;
 * test/config/settings-doc.test.ts fails while it differs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { withSettingsTable } from '../src/config/settings-doc.js';

const page = new URL('../docs/lanes-yaml.md', import.meta.url);
const options = (await resolveConfig(page.pathname)) ?? {};
const text = withSettingsTable(readFileSync(page, 'utf8'));
writeFileSync(page, await format(text, { ...options, filepath: page.pathname }));
