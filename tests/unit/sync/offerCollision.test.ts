import { describe, expect, it } from 'vitest';
import { answerCollidingOffers, type ChannelLike, type CollidingPeer } from '../../../src/sync/offerCollision.ts';

// simple-peer and RTCPeerConnection stand-ins: the collision itself runs in Chromium in
// tests/e2e/glare.spec.ts; these pin down what the fix does with which signal.
function fakeChannel(readyState = 'connecting') {
  return {
    readyState,
    closed: false,
    onmessage: () => {},
    onopen: () => {},
    onclose: () => {},
    onerror: () => {},
    onbufferedamountlow: () => {},
    close() {
      this.closed = true;
    },
  };
}

/** `answered`: the peer's answer to this side's offer is in (a remote description is set). */
function fakePeer(initiator: boolean, answered: boolean, connected = false) {
  const channel = fakeChannel(connected ? 'open' : 'connecting');
  const peer = {
    initiator,
    signals: [] as unknown[],
    emitted: [] as string[],
    opened: 0,
    signal(data: unknown) {
      this.signals.push(data);
    },
    emit(event: string) {
      this.emitted.push(event);
    },
    _pc: { remoteDescription: answered ? { type: 'answer' } : null, ondatachannel: null } as CollidingPeer['_pc'],
    _channel: channel as ChannelLike | null,
    _connected: connected,
    _setupData(event: { channel: ChannelLike }) {
      this._channel = event.channel;
    },
    _onChannelOpen() {
      this.opened++;
    },
  };
  return { peer: peer satisfies CollidingPeer, channel };
}

describe('answerCollidingOffers', () => {
  it("an offer while its own is unanswered: drops its own channel, then takes the offer's", () => {
    const { peer, channel } = fakePeer(true, false);
    answerCollidingOffers(peer);
    const offer = { type: 'offer', sdp: 'v=0' };
    peer.signal(offer);
    expect(peer.signals).toEqual([offer]);
    expect(channel.closed).toBe(true);
    // Detached before closing: simple-peer would end the connection on its close.
    expect(channel.onclose).toBeNull();
    expect(peer._channel).toBeNull();
    const incoming = fakeChannel('open');
    peer._pc!.ondatachannel!({ channel: incoming });
    expect(peer._channel).toBe(incoming);
    expect(peer.opened).toBe(1);
    expect(peer.emitted).toEqual([]);
  });

  it('the same offer as a JSON string is recognised too', () => {
    const { peer, channel } = fakePeer(true, false);
    answerCollidingOffers(peer);
    peer.signal(JSON.stringify({ type: 'offer', sdp: 'v=0' }));
    expect(channel.closed).toBe(true);
  });

  it("a stock peer's own channel after its answer: moved over to, greeting sent again if already open", () => {
    const { peer, channel } = fakePeer(true, true, true);
    answerCollidingOffers(peer);
    const theirs = fakeChannel('open');
    peer._pc!.ondatachannel!({ channel: theirs });
    expect(channel.closed).toBe(true);
    expect(peer._channel).toBe(theirs);
    expect(peer.emitted).toEqual(['connect']);
  });

  it('answers, candidates, offers on an established connection and answering peers are left alone', () => {
    const cases: [boolean, boolean, unknown][] = [
      [true, false, { type: 'answer', sdp: 'v=0' }],
      [true, false, { candidate: { candidate: 'candidate:1' } }],
      // A renegotiation on an established connection.
      [true, true, { type: 'offer', sdp: 'v=0' }],
      [false, false, { type: 'offer', sdp: 'v=0' }],
      [true, false, 'not json'],
    ];
    for (const [initiator, answered, data] of cases) {
      const { peer, channel } = fakePeer(initiator, answered);
      answerCollidingOffers(peer);
      peer.signal(data);
      expect(peer.signals).toEqual([data]);
      expect(channel.closed).toBe(false);
      expect(peer._channel).toBe(channel);
    }
    // A connection made for answering takes the offer's channel by itself (simple-peer).
    const { peer } = fakePeer(false, false);
    answerCollidingOffers(peer);
    expect(peer._pc!.ondatachannel).toBeNull();
    // No connection object at all: nothing to hook, and nothing thrown.
    const { peer: broken } = fakePeer(true, false);
    broken._pc = null;
    expect(() => answerCollidingOffers(broken)).not.toThrow();
  });
});
