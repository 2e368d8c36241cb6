#!/usr/bin/env node
// laneboard launcher: runs the bundled CLI built by `npm run build` — dist/fast.cjs, which
// answers from a running runtime when it can and otherwise loads dist/cli.js.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('../dist/fast.cjs');
} catch {
  process.stderr.write(
    'laneboard: dist/ is missing; run `npm run build` first (npm start does it for you)\n',
  );
  process.exit(1);
}
require('../dist/fast.cjs');
