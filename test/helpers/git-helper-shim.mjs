// The git helper's entry for tests: src/ is TypeScript, so register tsx's loader first.
import { register } from 'tsx/esm/api';

register();
await import('../../src/runtime/git/git-helper-entry.ts');
