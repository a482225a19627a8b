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

const ITEM_LABEL: Record<string, string> = {
  webhooks: 'webhook',
  notificationRules: 'notification rule',
  links: 'link',
  credentials: 'credential',
};

/** How a pointer's target is named in a message: `webhook`, `credentials`, `the file`. */
export function describePointer(pointer: string): string {
  const parts = parsePointer(pointer);
  if (parts.length === 0) return 'the file';
  const last = parts[parts.length - 1] ?? '';
  if (/^\d+$/.test(last)) {
    if (parts[0] === 'ignore') return 'ignore entry';
    return ITEM_LABEL[parts[parts.length - 2] ?? ''] ?? 'item';
  }
  return last;
}

/** The field a message is about; same as describePointer. */
export const fieldOf = describePointer;
