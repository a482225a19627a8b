import type { KindSpec } from './spec.js';

/**
 * A scheduled event configuration: an event type, named `scheduled.<entity>.<custom name>`, that m3ter raises
 * `offset` days after a date field of each entity. Keyed by that name, which rules listen to as their `eventName`.
 */
export const scheduledEvent = {
  kind: 'scheduledEvent',
  section: 'scheduledEvents',
  label: 'scheduled event',
  keyDescription: '`name` (`scheduled.<entity>.<custom name>`, the `eventName` of the rules on it)',
  keyNoun: 'name',
  caseFoldedKey: true,
  level: 1,
  references: [],
  fieldOrder: ['name', 'entity', 'field', 'offset'],
  secretFields: [],
  terraform: {
    resource: 'm3ter_scheduled_event_configuration',
    attributes: { name: 'name', entity: 'entity', field: 'field', offset: 'offset' },
  },
  keyField: { field: 'name' },
} as const satisfies KindSpec<'scheduledEvent'>;

/**
 * Where m3ter's rules for scheduled events are unknown, one named option each:
 * - `offset`: m3ter documents it as days after the date field, with no range. `atLeastOne` (the default, as the
 *   community provider validates) refuses 0 and negative offsets in the files; `anyWholeNumber` sends them to m3ter.
 * - `entity` and `field`: m3ter decides which exist, and publishes no list, so the files are checked for their shape
 *   only (the schema's patterns); `shapeOnly` is the one choice.
 */
export const SCHEDULED_EVENT_RULES: {
  readonly offset: 'atLeastOne' | 'anyWholeNumber';
  readonly entityAndField: 'shapeOnly';
} = { offset: 'atLeastOne', entityAndField: 'shapeOnly' };
