import { availableParallelism } from 'node:os';
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
    // vitest's default (one worker fewer than the cores) is a single worker on a 2-core CI machine, which then idles
    // while a file waits on a child CLI, an emulator's hang or a retry timer. One worker more than the cores keeps
    // both cores busy through those waits.
    maxWorkers: availableParallelism() + 1,
    sequence: { shuffle: false },
  },
});
