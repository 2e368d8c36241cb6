#!/usr/bin/env node
// laneboard launcher: runs the bundled CLI (dist/cli.js, built by `npm run build`).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    'laneboard: dist/cli.js is missing; run `npm run build` first (npm start does it for you)\n',
  );
  process.exit(1);
}
await import(cli.href);
