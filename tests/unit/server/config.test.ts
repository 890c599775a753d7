import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../../src/server/config.ts';

describe('loadServerConfig', () => {
  it('uses safe defaults: localhost, port 8080, dist/, same-origin signaling, no ICE servers', () => {
    const config = loadServerConfig({});
    expect(config).toEqual({
      port: 8080,
      host: '127.0.0.1',
      staticDir: path.resolve(import.meta.dirname, '../../../dist'),
      signalingUrls: [],
      iceServers: [],
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadServerConfig({ PORT: '', ICE_SERVERS: ' ', SIGNALING_URLS: '' })).toMatchObject({
      port: 8080,
      iceServers: [],
      signalingUrls: [],
    });
  });

  it('parses all variables', () => {
    const iceServers = [{ urls: ['turn:turn.example.org:3478?transport=tcp'], username: 'u', credential: 'c' }];
    const config = loadServerConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      STATIC_DIR: '/srv/app',
      SIGNALING_URLS: 'wss://a.example.org/signal, ws://localhost:4444',
      ICE_SERVERS: JSON.stringify(iceServers),
    });
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      staticDir: '/srv/app',
      signalingUrls: ['wss://a.example.org/signal', 'ws://localhost:4444'],
      iceServers,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['SIGNALING_URLS', 'https://signal.example.org'],
    ['SIGNALING_URLS', 'wss://ok.example.org,not a url'],
    ['ICE_SERVERS', 'not json'],
    ['ICE_SERVERS', '{"urls":"stun:x"}'],
    ['ICE_SERVERS', '[{"url":"stun:x"}]'],
    ['ICE_SERVERS', '[{"urls":"http://x"}]'],
    ['ICE_SERVERS', '[{"urls":[]}]'],
    ['ICE_SERVERS', '[{"urls":"turn:x","username":5}]'],
  ])('rejects %s=%s with an error naming the variable', (name, value) => {
    expect(() => loadServerConfig({ [name]: value })).toThrow(new RegExp(`Invalid environment variable ${name}`));
  });
});
