import { describe, expect, it } from 'vitest';
import { answerCollidingOffers, type CollidingPeer } from '../../../src/sync/offerCollision.ts';

// simple-peer and RTCPeerConnection stand-ins: the collision itself runs in Chromium in
// tests/e2e/glare.spec.ts; these pin down which signals the fix leaves alone.
function fakePeer(initiator: boolean, signalingState: string) {
  const signals: unknown[] = [];
  const setUp: unknown[] = [];
  const channel = { onmessage: () => {}, onopen: () => {}, onclose: () => {}, onerror: () => {}, onbufferedamountlow: () => {}, closed: false, close() { this.closed = true; } };
  const peer: CollidingPeer & { signals: unknown[]; setUp: unknown[] } = {
    initiator,
    signals,
    setUp,
    signal: (data) => signals.push(data),
    _pc: { signalingState, ondatachannel: null },
    _channel: channel,
    _setupData: (event) => setUp.push(event.channel),
  };
  return { peer, channel };
}

describe('answerCollidingOffers', () => {
  it('an offer while its own is unanswered: drops its own channel and takes the offer\'s', () => {
    const { peer, channel } = fakePeer(true, 'have-local-offer');
    answerCollidingOffers(peer);
    const offer = { type: 'offer', sdp: 'v=0' };
    peer.signal(offer);
    expect(peer.signals).toEqual([offer]);
    expect(channel.closed).toBe(true);
    expect(channel.onclose).toBeNull();
    expect(peer._channel).toBeNull();
    const incoming = { label: 'theirs' };
    peer._pc.ondatachannel!({ channel: incoming });
    expect(peer.setUp).toEqual([incoming]);
  });

  it('the same offer as a JSON string is recognised too', () => {
    const { peer, channel } = fakePeer(true, 'have-local-offer');
    answerCollidingOffers(peer);
    peer.signal(JSON.stringify({ type: 'offer', sdp: 'v=0' }));
    expect(channel.closed).toBe(true);
  });

  it('answers, candidates, offers on an established connection and answering peers are left alone', () => {
    const cases: [boolean, string, unknown][] = [
      [true, 'have-local-offer', { type: 'answer', sdp: 'v=0' }],
      [true, 'have-local-offer', { candidate: { candidate: 'candidate:1' } }],
      [true, 'stable', { type: 'offer', sdp: 'v=0' }],
      [false, 'stable', { type: 'offer', sdp: 'v=0' }],
      [true, 'have-local-offer', 'not json'],
    ];
    for (const [initiator, state, data] of cases) {
      const { peer, channel } = fakePeer(initiator, state);
      answerCollidingOffers(peer);
      peer.signal(data);
      expect(peer.signals).toEqual([data]);
      expect(channel.closed).toBe(false);
      expect(peer._pc.ondatachannel).toBeNull();
    }
  });
});
