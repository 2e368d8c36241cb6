import { readFileSync } from 'node:fs';
import { parseDocument, LineCounter } from 'yaml';
import { parseConfig } from './src/config/parse.ts';
const file = '/tmp/idle-work/fx/lanes-500.yaml';
const text = readFileSync(file, 'utf8');
const mode = process.argv[2];
const c0 = process.cpuUsage();
if (mode === 'doc') parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: true }).toJS();
else if (mode === 'both') { parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: true }).toJS(); const c1 = process.cpuUsage(c0); console.log('doc', (c1.user+c1.system)/1000); parseConfig(text, file); }
else parseConfig(text, file);
const c = process.cpuUsage(c0);
console.log(mode, (c.user + c.system) / 1000);
