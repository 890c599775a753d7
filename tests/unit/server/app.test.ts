import { afterEach, describe, expect, it } from 'vitest';
import { httpRequest, startTestServer, TestClient, type TestServer } from './helpers.ts';
import type { StartServerOptions } from '../../../src/server/app.ts';

const running: TestServer[] = [];

async function setup(options: Partial<StartServerOptions> = {}) {
  const server = await startTestServer(options);
  running.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
});

describe('startServer', () => {
  it('reports its URL with the real port when started on port 0', async () => {
    const { server } = await setup();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('answers /healthz with connection and topic counts', async () => {
    const { server, wsUrl } = await setup();
    const empty = await httpRequest(server.port, '/healthz');
    expect(empty.status).toBe(200);
    expect(empty.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(empty.body)).toEqual({ ok: true, connections: 0, topics: 0 });

    const client = await TestClient.connect(wsUrl);
    try {
      client.send({ type: 'subscribe', topics: ['a', 'b', 'c'] });
      await client.roundTrip();
      expect(JSON.parse((await httpRequest(server.port, '/healthz')).body)).toEqual({
        ok: true,
        connections: 1,
        topics: 3,
      });
    } finally {
      client.close();
    }
  });

  it('serves /config.json with signaling URLs and ICE servers, never cached', async () => {
    const iceServers = [
      { urls: 'turn:turn.example.org:3478', username: 'user', credential: 'pass' },
      { urls: ['stun:stun.example.org'] },
    ];
    const { server } = await setup({ signalingUrls: ['wss://signal.example.org/signal'], iceServers });
    const response = await httpRequest(server.port, '/config.json');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(response.body)).toEqual({ signalingUrls: ['wss://signal.example.org/signal'], iceServers });
  });

  it('defaults /config.json to same-origin signaling and no ICE servers', async () => {
    const { server } = await setup();
    expect(JSON.parse((await httpRequest(server.port, '/config.json')).body)).toEqual({
      signalingUrls: [],
      iceServers: [],
    });
  });

  it('rejects non-GET requests to /healthz', async () => {
    const { server } = await setup();
    expect((await httpRequest(server.port, '/healthz', 'POST')).status).toBe(405);
  });

  it('closes open signaling connections and stops listening on close()', async () => {
    const { server, wsUrl, fixture } = await setup();
    running.pop();
    const client = await TestClient.connect(wsUrl);
    await server.close();
    await fixture.cleanup();
    expect((await client.waitClosed()).code).toBe(1001);
    await expect(httpRequest(server.port, '/healthz')).rejects.toThrow();
  });
});
