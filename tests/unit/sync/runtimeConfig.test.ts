import { describe, expect, it } from 'vitest';
import { RuntimeConfig, resolveSignalingUrls } from '../../../src/sync/runtimeConfig.ts';

describe('runtime config', () => {
  it('defaults to the serving origin when no signaling URL is configured', () => {
    const config = RuntimeConfig.parse({ signalingUrls: [], iceServers: [] });
    expect(resolveSignalingUrls(config, 'http://127.0.0.1:8080')).toEqual(['ws://127.0.0.1:8080/signal']);
    expect(resolveSignalingUrls(config, 'https://tisch.example')).toEqual(['wss://tisch.example/signal']);
  });

  it('uses configured URLs and validates ICE servers', () => {
    const config = RuntimeConfig.parse({
      signalingUrls: ['wss://signal.example/x'],
      iceServers: [{ urls: 'turn:turn.example:3478', username: 'u', credential: 'c' }],
    });
    expect(resolveSignalingUrls(config, 'http://x')).toEqual(['wss://signal.example/x']);
  });

  it.each([
    { signalingUrls: ['http://not-ws'], iceServers: [] },
    { signalingUrls: [], iceServers: [{ urls: '' }] },
    { signalingUrls: 'ws://x', iceServers: [] },
    {},
  ])('rejects %j', (bad) => {
    expect(RuntimeConfig.safeParse(bad).success).toBe(false);
  });
});
