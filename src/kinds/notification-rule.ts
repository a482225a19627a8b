import { deriveCode } from '../model/code.js';
import type { KindSpec } from './spec.js';

/** A notification rule: an event, an optional calculation; keyed by its code. */
export const notificationRule = {
  kind: 'notificationRule',
  section: 'notificationRules',
  label: 'notification rule',
  keyDescription: '`code`',
  keyNoun: 'code',
  caseFoldedKey: true,
  level: 2,
  references: [
    // A rule listening to a scheduled event names it in eventName, by its name.
    {
      attribute: 'eventName',
      kind: 'scheduledEvent',
      by: 'key',
      prefix: 'scheduled.',
      optional: true,
      drawn: 'from',
    },
  ],
  fieldOrder: ['name', 'description', 'eventName', 'calculation', 'active', 'alwaysFireEvent'],
  secretFields: [],
  terraform: {
    resource: 'm3ter_notification_configuration',
    attributes: {
      code: 'code',
      name: 'name',
      description: 'description',
      event_name: 'eventName',
      calculation: 'calculation',
      active: 'active',
      always_fire_event: 'alwaysFireEvent',
    },
  },
  keyField: { field: 'code' },
  firesOnEvent: true,
  requiredHint: (missing, entry) => {
    if (missing !== 'code') return undefined;
    const name = entry['name'];
    const derived = typeof name === 'string' ? deriveCode(name) : '';
    return `m3ter requires a code for notification rules: add \`code: ${derived || 'my_rule'}\``;
  },
} as const satisfies KindSpec<'notificationRule'>;
