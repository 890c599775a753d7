import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../../../vite.config.ts';

/**
 * `npm run soak`: the long forms of the reliability tests (many seeds, more fuzz runs, more
 * idle connections, real WebRTC peers). Not part of `npm test`; the sizes come from the
 * environment the soak script sets.
 */
export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    ...base.test,
    // Replaces the unit suite's list: only the reliability tests, in their long forms.
    include: [
      'tests/unit/reliability/**/*.test.ts',
      'tests/unit/reliability/**/*.soak.ts',
      'tests/unit/server/abuse*.test.ts',
      'tests/unit/server/fuzz*.test.ts',
    ],
    // One file at a time: each is long, and the machine is shared.
    fileParallelism: false,
    testTimeout: 3_600_000,
    hookTimeout: 120_000,
  },
});
