import type { ImportedModel } from './imported.js';

/** One file a writer makes, its path relative to the output folder. */
export interface WrittenFile {
  readonly path: string;
  readonly text: string;
}

export type ImportLayout = 'single' | 'per-kind';

export interface WriterOptions {
  readonly layout: ImportLayout;
  /** The file name without extension for a single file (`m3ter`), and the prefix of per-kind files. */
  readonly baseName: string;
  /** The schema reference for a file's modeline, from its path relative to the output folder. */
  readonly modeline: (file: string) => string;
  /** Comment lines at the top of every file. */
  readonly header: readonly string[];
}

/** A file format for the imported model. Pure: returns the files, writes nothing. */
export type ImportWriter = (model: ImportedModel, options: WriterOptions) => WrittenFile[];
