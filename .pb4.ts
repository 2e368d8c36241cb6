import { readFileSync } from 'node:fs';
import { parseConfig } from './src/config/parse.ts';
const file = '/tmp/idle-work/fx/lanes-500.yaml';
parseConfig(readFileSync(file, 'utf8'), file, { checkRepos: false });
