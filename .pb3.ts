import { readFileSync } from 'node:fs';
import { parseConfig } from './src/config/parse.ts';
import { createBoardStore } from './src/state/store.ts';
import { selectSnapshot } from './src/state/snapshot.ts';
import { selectCounts, selectLaneViews } from './src/state/selectors.ts';
const file = '/tmp/idle-work/fx/lanes-500.yaml';
const config = parseConfig(readFileSync(file, 'utf8'), file, { checkRepos: false });
const t = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const mode = process.argv[2];
const store = createBoardStore();
const now = Date.now();
store.dispatch({ type: 'lanes/configured', lanes: config.lanes, settings: config.settings, at: now });
store.dispatch({ type: 'clock/tick', at: now + 5 });
const s = store.getState();
let a = t();
if (mode === 'snap') { selectSnapshot(s); console.log('snapshot', (t() - a).toFixed(0)); }
else { selectCounts(s); const b = t(); selectLaneViews(s); const c = t(); console.log('counts', (b - a).toFixed(0), 'views', (c - b).toFixed(0)); }
a = t(); store.dispatch({ type: 'clock/tick', at: now + 10 }); const s2 = store.getState(); selectSnapshot(s2); console.log('2nd snapshot', (t() - a).toFixed(0));
