import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { exportConfig } from '../../workflow/export.js';
import { defineCommand } from '../command.js';
import { LOAD_ENV_NAMES, OUTPUT_ENV_NAMES } from '../environment.js';
import { EXIT } from '../exit-codes.js';
import { configPaths, showWarnings } from './shared.js';
import {
  ENV_FILE_OPTION,
  fileLoadOptions,
  formatOf,
  NO_COLOR_OPTION,
  STACK_OPTION,
  useColor,
  write,
} from '../options.js';

export const exportCommand = defineCommand({
  name: 'export',
  summary: "Write the config files as Terraform JSON for m3ter's provider",
  synopsis: 'export [PATH...] --format tf-json [--out FILE] [options]',
  description: `Reads the config files as validate does and writes them as Terraform JSON (a main.tf.json) for
m3ter's Terraform provider (m3ter-com/m3ter ~> 0.9.0), in the shape m3ter-config's CDKTF constructs synthesize.
Secrets become sensitive variables named after their environment variable in lower case (TF_VAR_<name>); no secret
value is read or written. Credentials, which the provider has no resource for, are kept under "//", which
Terraform ignores and m3ter-config reads back. Offline: sends nothing.`,
  options: {
    format: { type: 'string', short: 'f', value: 'tf-json', help: 'output format (required: tf-json)' },
    out: { type: 'string', short: 'o', value: 'FILE', help: 'write to FILE instead of standard output' },
    ...ENV_FILE_OPTION,
    ...STACK_OPTION,
    ...NO_COLOR_OPTION,
  },
  env: [...LOAD_ENV_NAMES, ...OUTPUT_ENV_NAMES],
  exits: { ok: 'written', error: 'errors in the config files' },
  async run(ctx, { values, positionals }) {
    const format = formatOf(values.format, ['tf-json'] as const, 'tf-json');
    const { text, warnings } = await exportConfig(configPaths(ctx, positionals), {
      env: ctx.env,
      cwd: ctx.cwd,
      format,
      ...fileLoadOptions(values, ctx.env),
      ...(values.stack !== undefined ? { stack: values.stack } : {}),
    });
    showWarnings(ctx, warnings, useColor(ctx, values['no-color']) && Boolean(ctx.stderr.isTTY));
    if (values.out) {
      await writeFile(path.resolve(ctx.cwd, values.out), text);
      write(ctx.stdout, `Wrote ${values.out}.`);
    } else ctx.stdout.write(text);
    return EXIT.ok;
  },
});
