import { afterEach, describe, expect, it } from 'vitest';
import { refusedUpgradeStatus, startTestServer, TestClient, waitUntil, type TestServer } from './helpers.ts';
import type { StartServerOptions } from '../../../src/server/app.ts';

const running: TestServer[] = [];
const clients: TestClient[] = [];

async function setup(options: Partial<StartServerOptions> = {}) {
  const server = await startTestServer(options);
  running.push(server);
  const connect = async (url = server.wsUrl, clientOptions = {}) => {
    const client = await TestClient.connect(url, clientOptions);
    clients.push(client);
    return client;
  };
  return { ...server, connect };
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

describe('signaling relay (y-webrtc protocol)', () => {
  it('relays a publish to every subscriber, sender included, with the clients count', async () => {
    const { connect } = await setup();
    const alice = await connect();
    const bob = await connect();
    alice.send({ type: 'subscribe', topics: ['room-1'] });
    bob.send({ type: 'subscribe', topics: ['room-1'] });
    await alice.roundTrip();
    await bob.roundTrip();

    alice.send({ type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'alice' } });

    const expected = { type: 'publish', topic: 'room-1', data: { type: 'announce', from: 'alice' }, clients: 2 };
    expect(await bob.next()).toEqual(expected);
    expect(await alice.next()).toEqual(expected);
  });

  it("relays the sender's payload unchanged and sets the clients count itself", async () => {
    const { connect } = await setup();
    const alice = await connect();
    const bob = await connect();
    alice.send({ type: 'subscribe', topics: ['room-1'] });
    bob.send({ type: 'subscribe', topics: ['room-1'] });
    await alice.roundTrip();
    await bob.roundTrip();

    const data = { text: 'Grüße „unverändert“ 🙂', nested: { list: [1, null, true] } };
    alice.send({ type: 'publish', topic: 'room-1', clients: 99, data });
    expect(await bob.next()).toEqual({ type: 'publish', topic: 'room-1', data, clients: 2 });
  });

  it('stops relaying to a client after it unsubscribes', async () => {
    const { connect, server } = await setup();
    const alice = await connect();
    const bob = await connect();
    alice.send({ type: 'subscribe', topics: ['room-1'] });
    bob.send({ type: 'subscribe', topics: ['room-1', 'marker'] });
    await alice.roundTrip();
    await bob.roundTrip();
    expect(server.signaling.stats()).toEqual({ connections: 2, topics: 2 });

    bob.send({ type: 'unsubscribe', topics: ['room-1'] });
    await bob.roundTrip();
    alice.send({ type: 'publish', topic: 'room-1', data: 'after-unsubscribe' });
    expect(await alice.next()).toMatchObject({ data: 'after-unsubscribe', clients: 1 });

    // Anything relayed to bob before this marker would be received first on the same connection.
    alice.send({ type: 'subscribe', topics: ['marker'] });
    alice.send({ type: 'publish', topic: 'marker', data: 'marker' });
    expect(await bob.next()).toMatchObject({ topic: 'marker', data: 'marker' });
  });

  it('answers ping with pong', async () => {
    const { connect } = await setup();
    const client = await connect();
    client.send({ type: 'ping' });
    expect(await client.next()).toEqual({ type: 'pong' });
  });

  it('does not relay a publish from a client that is not subscribed to the topic', async () => {
    const { connect } = await setup();
    const outsider = await connect();
    const member = await connect();
    member.send({ type: 'subscribe', topics: ['room-1'] });
    await member.roundTrip();

    outsider.send({ type: 'publish', topic: 'room-1', data: 'injected' });
    outsider.send({ type: 'subscribe', topics: ['room-1'] });
    outsider.send({ type: 'publish', topic: 'room-1', data: 'legit' });

    expect(await member.next()).toMatchObject({ data: 'legit', clients: 2 });
    expect(await outsider.next()).toMatchObject({ data: 'legit' });
  });

  it('passes every received text frame to onFrame', async () => {
    const frames: string[] = [];
    const { connect } = await setup({ onFrame: (data) => frames.push(data) });
    const client = await connect();
    const sent = [
      JSON.stringify({ type: 'subscribe', topics: ['t'] }),
      JSON.stringify({ type: 'publish', topic: 't', data: 'ciphertext' }),
      JSON.stringify({ type: 'ping' }),
    ];
    for (const frame of sent) client.send(frame);
    await client.next();
    expect(await client.next()).toEqual({ type: 'pong' });
    expect(frames).toEqual(sent);
  });

  it('reports connections and topics in stats and forgets them when clients leave', async () => {
    const { connect, server } = await setup();
    const client = await connect();
    client.send({ type: 'subscribe', topics: ['a', 'b'] });
    await client.roundTrip();
    expect(server.signaling.stats()).toEqual({ connections: 1, topics: 2 });
    client.close();
    await waitUntil(() => server.signaling.stats().connections === 0, 'connection count to drop');
    expect(server.signaling.stats()).toEqual({ connections: 0, topics: 0 });
  });

  it('refuses upgrades on other paths with 404', async () => {
    const { server } = await setup();
    expect(await refusedUpgradeStatus(`ws://127.0.0.1:${server.port}/other`)).toBe(404);
  });
});

describe('signaling hardening', () => {
  it('closes a connection that sends an oversized frame while others keep working', async () => {
    const { connect } = await setup();
    const attacker = await connect();
    const bystander = await connect();
    attacker.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(256 * 1024) }));
    expect((await attacker.waitClosed()).code).toBe(1009);
    await bystander.roundTrip();
  });

  it('accepts a frame just below the size limit', async () => {
    const { connect } = await setup({ maxPayloadBytes: 1024 });
    const client = await connect();
    client.send({ type: 'subscribe', topics: ['t'] });
    const frame = JSON.stringify({ type: 'publish', topic: 't', data: '' });
    client.send(JSON.stringify({ type: 'publish', topic: 't', data: 'y'.repeat(1024 - frame.length) }));
    expect(await client.next()).toMatchObject({ type: 'publish', clients: 1 });
  });

  it.each([
    ['non-JSON text', 'hello', 1003],
    ['a binary frame', Buffer.from(JSON.stringify({ type: 'ping' })), 1003],
    ['an unknown message type', JSON.stringify({ type: 'nope' }), 1008],
    ['a JSON array', '[1,2]', 1008],
    ['a non-string topic', JSON.stringify({ type: 'subscribe', topics: [123] }), 1008],
    ['an empty topic', JSON.stringify({ type: 'subscribe', topics: [''] }), 1008],
    ['a 257 character topic', JSON.stringify({ type: 'subscribe', topics: ['t'.repeat(257)] }), 1008],
    ['a publish without topic', JSON.stringify({ type: 'publish', data: 'x' }), 1008],
  ])('closes the connection on %s and keeps serving others', async (_label, frame, code) => {
    const { connect } = await setup();
    const attacker = await connect();
    const bystander = await connect();
    attacker.send(frame);
    expect((await attacker.waitClosed()).code).toBe(code);
    await bystander.roundTrip();
  });

  it('accepts a 256 character topic', async () => {
    const { connect } = await setup();
    const client = await connect();
    client.send({ type: 'subscribe', topics: ['t'.repeat(256)] });
    await client.roundTrip();
  });

  it('closes a connection that subscribes to more topics than allowed', async () => {
    const { connect } = await setup({ maxTopicsPerConnection: 3 });
    const client = await connect();
    client.send({ type: 'subscribe', topics: ['a', 'b'] });
    client.send({ type: 'subscribe', topics: ['c', 'a'] });
    await client.roundTrip();
    client.send({ type: 'subscribe', topics: ['d'] });
    expect((await client.waitClosed()).code).toBe(1008);
  });

  it('closes a connection that exceeds the message rate while a well-behaved client is unaffected', async () => {
    const { connect } = await setup({ rateLimitPerSecond: 10, rateLimitBurst: 20 });
    const flooder = await connect();
    const polite = await connect();
    for (let i = 0; i < 200; i++) flooder.send({ type: 'ping' });
    expect((await flooder.waitClosed()).code).toBe(1008);
    for (let i = 0; i < 5; i++) await polite.roundTrip();
    expect(polite.isOpen()).toBe(true);
  });

  it('allows a burst within the limit', async () => {
    const { connect } = await setup({ rateLimitPerSecond: 10, rateLimitBurst: 20 });
    const client = await connect();
    for (let i = 0; i < 20; i++) client.send({ type: 'ping' });
    for (let i = 0; i < 20; i++) expect(await client.next()).toEqual({ type: 'pong' });
    expect(client.isOpen()).toBe(true);
  });

  it('refuses upgrades beyond the connection cap with 503 and accepts again after a slot frees', async () => {
    const { connect, server, wsUrl } = await setup({ maxConnections: 2 });
    const first = await connect();
    await connect();
    expect(await refusedUpgradeStatus(wsUrl)).toBe(503);

    first.close();
    await waitUntil(() => server.signaling.stats().connections === 1, 'a slot to free up');
    const third = await connect();
    await third.roundTrip();
  });

  it('terminates connections that stop answering pings, but keeps responsive ones', async () => {
    const { connect } = await setup({ pingIntervalMs: 100 });
    const dead = await connect(undefined, { autoPong: false });
    const alive = await connect();
    await dead.waitClosed('dead connection to be terminated');
    await waitUntil(() => alive.pings >= 3, 'several pings to the live client');
    expect(alive.isOpen()).toBe(true);
    await alive.roundTrip();
  });

  it('closes all connections on close()', async () => {
    const { connect, server } = await setup();
    const client = await connect();
    await server.signaling.close();
    expect((await client.waitClosed()).code).toBe(1001);
  });
});
