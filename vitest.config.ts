import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The fault-matrix files are the longest (20 seeds each, 40-115 s, mostly waiting on hangs and backoffs) but only
 * three lines long, and on a clean clone vitest has no timings yet and starts the largest files first, which left them
 * for the end with the other workers done. They start first; the rest keep vitest's order.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const long = (f: TestSpecification) => /[\\/]test[\\/]integration[\\/]apply[\\/]faults-/.test(f.moduleId);
    return [...sorted.filter(long), ...sorted.filter((f) => !long(f))];
  }
}

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
    // while a file waits on a child CLI, an emulator's hang or a retry timer. One worker per core: more (3 on 2 cores)
    // starved the timing tests on a loaded machine into 30 s timeouts.
    maxWorkers: availableParallelism(),
    sequence: { shuffle: false, sequencer: LongestFirst },
  },
});
