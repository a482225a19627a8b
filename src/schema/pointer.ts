import { CONFIG_SECTION, KIND_LABEL } from '../kinds/index.js';
import { KINDS } from '../model/kinds.js';

/** JSON pointers (RFC 6901) over the plain data of one file. */

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.includes('~')) return pointer.slice(1).split('/');
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPointer(parts: readonly (string | number)[]): string {
  return parts.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

export function childPointer(pointer: string, key: string | number): string {
  return pointer + formatPointer([key]);
}

export function valueAt(data: unknown, pointer: string): unknown {
  let cur: unknown = data;
  for (const part of parsePointer(pointer)) {
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (cur && typeof cur === 'object') cur = (cur as Record<string, unknown>)[part];
    else return undefined;
  }
  return cur;
}

/** The label of an item of each kind's section, from the kind registry. */
const ITEM_LABEL: ReadonlyMap<string, string> = new Map(KINDS.map((k) => [CONFIG_SECTION[k], KIND_LABEL[k]]));

/** How a pointer's target is named in a message: `webhook`, `integration`, `credentials`, `the file`. */
export function describePointer(pointer: string): string {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return 'the file';
  const last = parts[parts.length - 1] ?? '';
  if (/^\d+$/.test(last)) {
    if (parts[0] === 'ignore') return 'ignore entry';
    return ITEM_LABEL.get(parts[parts.length - 2] ?? '') ?? 'item';
  }
  return last;
}

/** The field a message is about; same as describePointer. */
export const fieldOf = describePointer;
