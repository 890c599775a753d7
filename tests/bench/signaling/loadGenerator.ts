import { WebSocket } from 'ws';
import { summarize, type Summary } from '../lib/stats.ts';

export interface LoadSettings {
  stages: readonly number[];
  messagesPerSecond: number;
  roomSize: number;
  payloadBytes: number;
  stageSeconds: number;
  maxLossRatio: number;
  maxP99Ms: number;
}

export interface StageResult {
  connections: number;
  /** Relays (deliveries to subscribers) per second the stage asks for. */
  offeredRelaysPerSecond: number;
  published: number;
  expectedRelays: number;
  receivedRelays: number;
  lossRatio: number;
  latency: Summary | null;
  /** Connections the server closed during the stage. */
  dropped: number;
  /** Server CPU time over the stage (publishing and draining) per 1000 relays received. */
  cpuMsPer1000Relays: number | null;
  sustained: boolean;
}

interface Client {
  ws: WebSocket;
  topic: string;
}

// Both servers relay the publish with its `data` object unchanged: {"s":<stage>,"t":<sent at>,...}.
const STAGE_KEY = '"data":{"s":';
const TIME_KEY = '"t":';

/** How long relays may still arrive after the last publish of a stage. */
const DRAIN_MS = 2000;

/**
 * Open-loop load on a y-webrtc signaling server over loopback: conference-sized rooms, each
 * connection publishing at a fixed rate far below the per-connection limit, so the figure is
 * the server's capacity and not its limiter. Every stage keeps all connections of the stages
 * before it and adds more. Latency: publish to relay arrival, on this process's clock.
 */
export async function runStages(url: string, settings: LoadSettings, serverCpuMs?: () => number): Promise<StageResult[]> {
  const clients: Client[] = [];
  const payload = 'x'.repeat(settings.payloadBytes);
  let stage = 0;
  let received = 0;
  let latencies: number[] = [];
  let dropped = 0;
  let closing = false;
  let drained: (() => void) | null = null;
  let expected = Infinity;

  // Reads only the two numbers it needs from the raw frame: with a full JSON.parse per relay
  // the generator, not the server, would be what runs out of CPU first on two cores.
  const onMessage = (data: Buffer) => {
    const at = data.indexOf(STAGE_KEY);
    if (at < 0) return;
    const comma = data.indexOf(44, at);
    if (Number(data.toString('latin1', at + STAGE_KEY.length, comma)) !== stage) return;
    const end = data.indexOf(44, comma + 1);
    received++;
    latencies.push(performance.now() - Number(data.toString('latin1', comma + 1 + TIME_KEY.length, end)));
    if (received >= expected) drained?.();
  };

  const connect = async (index: number): Promise<void> => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const topic = `room-${Math.floor(index / settings.roomSize)}`;
    ws.on('close', () => {
      if (!closing) dropped++;
    });
    // A pong after the subscribe proves the server has processed the subscription.
    const subscribed = new Promise<void>((resolve) => {
      const onPong = (data: Buffer) => {
        if (!data.toString().includes('"pong"')) return;
        ws.off('message', onPong);
        resolve();
      };
      ws.on('message', onPong);
    });
    ws.send(JSON.stringify({ type: 'subscribe', topics: [topic] }));
    ws.send(JSON.stringify({ type: 'ping' }));
    await subscribed;
    ws.on('message', onMessage);
    clients.push({ ws, topic });
  };

  const results: StageResult[] = [];
  try {
    for (const connections of settings.stages) {
      // Batches: a burst of thousands of handshakes would measure the accept queue instead.
      while (clients.length < connections) {
        const batch = Array.from({ length: Math.min(200, connections - clients.length) }, (_, i) => connect(clients.length + i));
        await Promise.all(batch);
      }
      stage++;
      received = 0;
      latencies = [];
      const droppedBefore = dropped;
      const cpuBefore = serverCpuMs?.() ?? 0;
      const rate = connections * settings.messagesPerSecond;
      const total = Math.floor(rate * settings.stageSeconds);
      expected = Infinity;
      // The last room of a stage may be partly filled: a publish reaches its room's members.
      const members = new Map<string, number>();
      for (const client of clients) members.set(client.topic, (members.get(client.topic) ?? 0) + 1);
      let published = 0;
      let relaysDue = 0;
      let next = 0;
      const start = performance.now();
      await new Promise<void>((resolve) => {
        // A fixed-rate schedule: each tick sends what is due by now, round-robin over connections.
        const timer = setInterval(() => {
          const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000));
          for (; published < due; published++) {
            const client = clients[next]!;
            next = (next + 1) % connections;
            relaysDue += members.get(client.topic)!;
            client.ws.send(
              `{"type":"publish","topic":"${client.topic}","data":{"s":${stage},"t":${performance.now()},"p":"${payload}"}}`,
            );
          }
          if (published >= total) {
            clearInterval(timer);
            resolve();
          }
        }, 5);
      });
      expected = relaysDue;
      if (received < expected) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, DRAIN_MS);
          drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      drained = null;
      const cpuMs = (serverCpuMs?.() ?? 0) - cpuBefore;
      const latency = latencies.length > 0 ? summarize(latencies) : null;
      const lossRatio = 1 - received / expected;
      const stageDropped = dropped - droppedBefore;
      const sustained =
        lossRatio <= settings.maxLossRatio && stageDropped === 0 && latency !== null && latency.p99 <= settings.maxP99Ms;
      results.push({
        connections,
        offeredRelaysPerSecond: Math.round(relaysDue / settings.stageSeconds),
        published,
        expectedRelays: expected,
        receivedRelays: received,
        lossRatio,
        latency,
        dropped: stageDropped,
        cpuMsPer1000Relays: serverCpuMs && received > 0 ? (cpuMs * 1000) / received : null,
        sustained,
      });
      // Higher stages only add load: once one is not sustained, the capacity is known.
      if (!sustained) break;
    }
    return results;
  } finally {
    closing = true;
    for (const client of clients) client.ws.terminate();
  }
}
