import * as bc from 'lib0/broadcastchannel';
import { Room } from 'y-webrtc';

/**
 * Rooms talk over WebRTC only, never over the browser's BroadcastChannel.
 *
 * y-webrtc also sends every update and caret move, encrypted, to the BroadcastChannel, for
 * other tabs of the same browser. This app has no use for that: one case is open in one tab
 * at a time (`src/app/tabClaim.ts`), and tabs that do meet (a host and a guest on one machine)
 * can use WebRTC like everyone else. Messages that came in over the channel would also pass
 * around what checks every peer message on the data channel (`updateFits`, the flood guard).
 * The channel cost every page an encryption and a message to the browser process per
 * keystroke. y-webrtc has no option for this, so its Room stops listening right after it
 * connected; `bcconnected` false is what keeps it from sending (y-webrtc 10.3, pinned).
 */
const connect = Room.prototype.connect;

Room.prototype.connect = function (this: Room) {
  connect.call(this);
  bc.unsubscribe(this.name, this._bcSubscriber);
  this.bcconnected = false;
};
