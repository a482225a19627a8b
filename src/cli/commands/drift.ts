import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { driftDiagram, renderDrift } from '../../render/drift.js';
import { assertRecordTarget, driftAgainst, readApplyRecord, readDriftReport } from '../../workflow/drift.js';
import type { Session } from '../../workflow/session.js';
import { defineCommand } from '../command.js';
import { PLANNING_ENV_NAMES } from '../environment.js';
import { EXIT, exitCodeForAbort } from '../exit-codes.js';
import {
  ENV_FILE_OPTION,
  formatOf,
  MARKDOWN_OPTIONS,
  NO_COLOR_OPTION,
  parseMarkdownLimit,
  TARGET_OPTIONS,
  UsageError,
  useColor,
  write,
  fileLoadOptions,
} from '../options.js';
import {
  configPaths,
  closeAfter,
  loadAndOpenTarget,
  showWarnings,
  untilAborted,
  writeFileAtomically,
} from './shared.js';

export const driftCommand = defineCommand({
  name: 'drift',
  summary: 'Report what differs between the live org and the files, who changed it, and which side moved',
  synopsis: 'drift [PATH...] [options]',
  description: `Loads the files as plan does, reads the live org and reports each difference as one item:
modified (live attributes differ, field by field), unmanaged (in m3ter, declared by no file, not ignored),
missing (declared, not in m3ter), secret (a webhook's live secret fingerprint changed or is gone) or disabled
(a link declared active that m3ter disabled, with its last failed integration run), each with who last modified
it and when. With --since RECORD (from \`apply --record\`) every item says whether m3ter or the
files changed since that apply; without it, "unknown". With --previous REPORT (an earlier --format json or --out)
every item is new or ongoing, and the items gone since are listed as resolved.

Sends only reads, the same ones plan sends, and writes nothing to the org or to the embedded emulator's state
(.m3ter/local.json is read, never written). The only file it writes is --out, when asked.`,
  options: {
    format: {
      type: 'string',
      short: 'f',
      value: 'text|json|markdown',
      help: 'output (default text; json: schemas/drift-report.schema.json; markdown: an issue body)',
    },
    since: {
      type: 'string',
      value: 'RECORD',
      help: 'the apply record (`apply --record FILE`) to tell m3ter edits from file changes\n(a file that does not exist: a warning, and directions "unknown")',
    },
    previous: {
      type: 'string',
      value: 'REPORT',
      help: 'an earlier JSON report: mark items new, ongoing or resolved\n(a file that does not exist: a warning, and every item new)',
    },
    out: {
      type: 'string',
      value: 'FILE',
      help: 'also write the JSON report to FILE (for the next --previous)',
    },
    ...MARKDOWN_OPTIONS,
    ...ENV_FILE_OPTION,
    ...NO_COLOR_OPTION,
    ...TARGET_OPTIONS,
  },
  env: PLANNING_ENV_NAMES,
  exits: {
    ok: 'no drift',
    error: true,
    changes: 'drift: at least one item',
    interrupted: true,
    terminated: true,
  },
  async run(ctx, { values, positionals }) {
    const format = formatOf(values.format, ['text', 'json', 'markdown'] as const, 'text');
    const color = useColor(ctx, values['no-color']);
    const markdownLimit = parseMarkdownLimit(values['markdown-limit']);
    const fullMarkdown = values['markdown-full'];
    if (fullMarkdown !== undefined && format !== 'markdown')
      throw new UsageError('--markdown-full needs --format markdown');
    // A file that is not there is the first run of a CI loop (no apply recorded yet, no earlier report, or an
    // expired artifact): said on stderr, never guessed around.
    const read = async (file: string | undefined, absent: string): Promise<string | undefined> => {
      if (file === undefined) return undefined;
      try {
        return await readFile(path.resolve(ctx.cwd, file), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        write(ctx.stderr, `warning: ${file} does not exist: ${absent}`);
        return undefined;
      }
    };
    const sinceText = await read(values.since, 'no apply record, so every direction is "unknown"');
    const previousText = await read(values.previous, 'no earlier report, so every item is "new"');
    const since = sinceText === undefined ? undefined : readApplyRecord(sinceText, values.since!);
    const previous = previousText === undefined ? undefined : readDriftReport(previousText, values.previous!);
    const { state, warnings, session } = await loadAndOpenTarget(
      ctx,
      values,
      configPaths(ctx, positionals),
      fileLoadOptions(values, ctx.env),
      {
        readOnly: true,
        ...(since
          ? { beforeReads: (s: Session) => assertRecordTarget(since.target, s.target.description) }
          : {}),
      },
    );
    return closeAfter(
      ctx,
      session,
      async () => {
        showWarnings(ctx, warnings, color && Boolean(ctx.stderr.isTTY));
        const {
          report,
          live,
          warnings: liveWarnings,
        } = await untilAborted(
          ctx.signal,
          driftAgainst(state, session, {
            ...(since ? { since } : {}),
            ...(values.previous ? { previous: previous ?? { items: [] } } : {}),
          }),
        );
        showWarnings(ctx, liveWarnings, color && Boolean(ctx.stderr.isTTY));
        const diagram =
          format === 'markdown'
            ? driftDiagram(report, { desired: state.resources, live: live.resources })
            : undefined;
        const options = {
          format,
          color: format === 'text' && color,
          limit: markdownLimit,
          ...(diagram !== undefined ? { diagram } : {}),
          ...(values.out !== undefined ? { savedReport: values.out } : {}),
          ...(fullMarkdown !== undefined ? { fullMarkdown } : {}),
        };
        write(ctx.stdout, renderDrift(report, options));
        if (fullMarkdown !== undefined)
          await writeFileAtomically(ctx, fullMarkdown, renderDrift(report, { ...options, limit: 0 }), {
            signal: ctx.signal,
          });
        if (values.out) {
          const json = renderDrift(report, { format: 'json', color: false });
          await writeFileAtomically(ctx, values.out, json, { signal: ctx.signal });
        }
        return report.drifted ? EXIT.changes : EXIT.ok;
      },
      {
        message: (reason) => `Drift interrupted by ${reason}.`,
        result: () => exitCodeForAbort(ctx.signal),
      },
    );
  },
});
