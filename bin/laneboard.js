#!/usr/bin/env node
// laneboard launcher: runs the bundled CLI built by `npm run build` — dist/fast.cjs, which
// answers from a running runtime when it can and otherwise loads dist/cli.js. CommonJS
// (bin/package.json), so a start does not set up the ES-module loader just for this file
// (docs/performance.md, "Fleet, session 7").
'use strict';

try {
  require.resolve('../dist/fast.cjs');
} catch {
  process.stderr.write(
    'laneboard: dist/ is missing; run `npm run build` first (npm start does it for you)\n',
  );
  process.exit(1);
}
require('../dist/fast.cjs');
