import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests talk to emulators on 127.0.0.1:0; files run in parallel workers, each with its own servers.
    pool: 'forks',
    sequence: { shuffle: false },
  },
});
