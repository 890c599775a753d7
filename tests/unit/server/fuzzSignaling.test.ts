import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignalingMessageSchema } from '../../../src/server/signalingMessages.ts';
import { startTestServer, TestClient, type TestServer } from './helpers.ts';

/**
 * Signaling messages, fuzzed (issue 8): the schema accepts exactly y-webrtc's four message
 * types within the limits and never throws; and a publish frame with arbitrary extra fields
 * reaches the other subscriber as the same JSON plus the receiver count.
 */

const RUNS = Number(process.env.RT_FUZZ_RUNS ?? 200);
const LIMITS = { maxTopicLength: 256, maxTopicsPerMessage: 64 };
const schema = createSignalingMessageSchema(LIMITS);

const topic = fc.string({ minLength: 1, maxLength: 20 });
const message = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ type: fc.constantFrom('subscribe', 'unsubscribe', 'publish', 'ping', 'pong', 'Subscribe', ''), topics: fc.anything({ maxDepth: 2 }), topic: fc.anything({ maxDepth: 1 }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constantFrom('subscribe', 'unsubscribe'), topics: fc.array(fc.string({ maxLength: 300 }), { maxLength: 70 }) }),
);

function expectedValid(m: unknown): boolean {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return false;
  const o = m as Record<string, unknown>;
  const okTopic = (t: unknown) => typeof t === 'string' && t.length >= 1 && t.length <= LIMITS.maxTopicLength;
  switch (o.type) {
    case 'subscribe':
    case 'unsubscribe':
      return Array.isArray(o.topics) && o.topics.length <= LIMITS.maxTopicsPerMessage && o.topics.every(okTopic);
    case 'publish':
      return okTopic(o.topic);
    case 'ping':
      return true;
    default:
      return false;
  }
}

describe('fuzz: signaling messages', () => {
  it('the schema accepts exactly the four message types within the limits, and never throws', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(schema.safeParse(m).success).toBe(expectedValid(m));
      }),
      { numRuns: RUNS * 5 },
    );
  });

  describe('relay', () => {
    let server: TestServer;
    let a: TestClient;
    let b: TestClient;
    beforeAll(async () => {
      // The rate limit is not what this property is about.
      server = await startTestServer({ rateLimitPerSecond: 100_000, rateLimitBurst: 100_000 });
      a = await TestClient.connect(server.wsUrl);
      b = await TestClient.connect(server.wsUrl);
    });
    afterAll(async () => {
      a.close();
      b.close();
      await server.stop();
    });

    it('a publish with arbitrary fields arrives as the same JSON plus the receiver count', async () => {
      await fc.assert(
        fc.asyncProperty(topic, fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }), async (t, extra) => {
          a.send({ type: 'subscribe', topics: [t] });
          b.send({ type: 'subscribe', topics: [t] });
          await a.roundTrip();
          await b.roundTrip();
          const sent = { ...extra, type: 'publish', topic: t };
          a.send(JSON.stringify(sent));
          // Both are subscribed: the sender gets its own message back, as y-webrtc's server does.
          const [toB, toA] = await Promise.all([b.next('relay to b'), a.next('relay to a')]);
          const expected = JSON.parse(JSON.stringify({ ...sent, clients: 2 })) as unknown;
          expect(toB).toEqual(expected);
          expect(toA).toEqual(expected);
          a.send({ type: 'unsubscribe', topics: [t] });
          b.send({ type: 'unsubscribe', topics: [t] });
        }),
        { numRuns: Math.min(RUNS, 100) },
      );
    });
  });
});
