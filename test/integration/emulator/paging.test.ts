import { afterEach, describe, expect, it } from 'vitest';
import { type TestEmulator, notificationBody, start, webhookBody } from './helpers.js';

const ids = (r: { body: { data: { id: string }[] } }) => r.body.data.map((x) => x.id);

describe('emulator lists and paging', () => {
  let t: TestEmulator;
  afterEach(() => t?.close());

  it('lists newest first, with nextToken only while more data exists', async () => {
    t = await start();
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      created.push(
        (
          await t.client.call('POST', '/notifications/configurations', {
            body: notificationBody({ code: `n${i}` }),
          })
        ).body.id,
      );
    }
    const newest = [...created].reverse();
    const p1 = await t.client.call('GET', '/notifications/configurations', { query: { pageSize: '2' } });
    expect(ids(p1)).toEqual(newest.slice(0, 2));
    expect(typeof p1.body.nextToken).toBe('string');
    const p2 = await t.client.call('GET', '/notifications/configurations', {
      query: { pageSize: '2', nextToken: p1.body.nextToken },
    });
    expect(ids(p2)).toEqual(newest.slice(2, 4));
    const p3 = await t.client.call('GET', '/notifications/configurations', {
      query: { pageSize: '2', nextToken: p2.body.nextToken },
    });
    expect(ids(p3)).toEqual(newest.slice(4));
    expect(p3.body.nextToken).toBeUndefined();
    // Exactly a full last page: no token.
    const all = await t.client.call('GET', '/notifications/configurations', { query: { pageSize: '5' } });
    expect(ids(all)).toEqual(newest);
    expect(all.body.nextToken).toBeUndefined();
    const empty = await t.client.call('GET', '/integrationconfigs', { query: { pageSize: '5' } });
    expect(empty.body).toEqual({ data: [] });
  });

  it('keeps paging stable across deletes', async () => {
    t = await start();
    const created: string[] = [];
    for (let i = 0; i < 4; i++) {
      created.push(
        (
          await t.client.call('POST', '/notifications/configurations', {
            body: notificationBody({ code: `n${i}` }),
          })
        ).body.id,
      );
    }
    const p1 = await t.client.call('GET', '/notifications/configurations', { query: { pageSize: '2' } });
    await t.client.call('DELETE', `/notifications/configurations/${created[3]}`);
    await t.client.call('DELETE', `/notifications/configurations/${created[1]}`);
    const p2 = await t.client.call('GET', '/notifications/configurations', {
      query: { pageSize: '2', nextToken: p1.body.nextToken },
    });
    expect(ids(p2)).toEqual([created[0]]);
    expect(p2.body.nextToken).toBeUndefined();
  });

  it('enforces pageSize bounds per endpoint', async () => {
    t = await start();
    const bounds: [string, number][] = [
      ['/integrationdestinations/webhooks', 200],
      ['/notifications/configurations', 100],
      ['/integrationconfigs', 200],
      ['/integrationcredentials', 200],
    ];
    for (const [path, max] of bounds) {
      for (const bad of ['0', String(max + 1), '-1', 'ten', '1.5']) {
        const r = await t.client.call('GET', path, { query: { pageSize: bad } });
        expect(r.status, `${path} pageSize=${bad}`).toBe(400);
        expect(r.body.message).toContain('pageSize');
      }
      expect((await t.client.call('GET', path, { query: { pageSize: '1' } })).status).toBe(200);
      expect((await t.client.call('GET', path, { query: { pageSize: String(max) } })).status).toBe(200);
    }
  });

  it('uses defaultPageSize (10) when pageSize is absent', async () => {
    t = await start();
    for (let i = 0; i < 12; i++) {
      await t.client.call('POST', '/notifications/configurations', {
        body: notificationBody({ code: `n${i}` }),
      });
    }
    const r = await t.client.call('GET', '/notifications/configurations');
    expect(r.body.data).toHaveLength(10);
    expect(r.body.nextToken).toBeDefined();
    await t.close();
    t = await start({ defaultPageSize: 3 });
    for (let i = 0; i < 4; i++) {
      await t.client.call('POST', '/notifications/configurations', {
        body: notificationBody({ code: `n${i}` }),
      });
    }
    expect((await t.client.call('GET', '/notifications/configurations')).body.data).toHaveLength(3);
  });

  it('filters by ids, comma-separated, with the comma percent-encoded or not, and repeated', async () => {
    t = await start();
    const w: string[] = [];
    for (let i = 0; i < 3; i++) {
      w.push(
        (
          await t.client.call('POST', '/integrationdestinations/webhooks', {
            body: webhookBody({ code: `w${i}` }),
          })
        ).body.id,
      );
    }
    const base = '/integrationdestinations/webhooks';
    const encoded = await t.client.call('GET', base, { query: { pageSize: '10', ids: `${w[0]},${w[2]}` } });
    expect(ids(encoded)).toEqual([w[2], w[0]]);
    const plain = await t.client.raw('GET', `${t.client.org}${base}?pageSize=10&ids=${w[0]},${w[1]}`);
    expect(ids(plain)).toEqual([w[1], w[0]]);
    const repeated = await t.client.raw('GET', `${t.client.org}${base}?pageSize=10&ids=${w[0]}&ids=${w[1]}`);
    expect(ids(repeated)).toEqual([w[1], w[0]]);
    const unknown = await t.client.call('GET', base, { query: { ids: 'nope' } });
    expect(unknown.body.data).toEqual([]);
  });

  it('rejects a malformed nextToken', async () => {
    t = await start();
    const r = await t.client.call('GET', '/notifications/configurations', {
      query: { nextToken: 'garbage!' },
    });
    expect(r.status).toBe(400);
  });
});
