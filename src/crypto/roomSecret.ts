import { z } from 'zod';
import { fromBase64Url, randomBytes, toBase64Url } from '../crypto/encoding.ts';

const ROOM_ID_BYTES = 16;
const ROOM_KEY_BYTES = 32;

function base64UrlOfLength(bytes: number) {
  const length = Math.ceil((bytes * 4) / 3);
  return z
    .string()
    .length(length)
    .regex(/^[A-Za-z0-9_-]+$/)
    .refine((s) => {
      // zod runs every check even after the regex failed, so decoding must not throw here.
      try {
        return fromBase64Url(s).length === bytes;
      } catch {
        return false;
      }
    }, 'wrong length');
}

/** A random room id (128 bit) and room key (256 bit). The key only ever travels in a URL fragment. */
export const RoomSecret = z.object({
  roomId: base64UrlOfLength(ROOM_ID_BYTES),
  key: base64UrlOfLength(ROOM_KEY_BYTES),
});
export type RoomSecret = z.infer<typeof RoomSecret>;

export function newRoomSecret(): RoomSecret {
  return { roomId: toBase64Url(randomBytes(ROOM_ID_BYTES)), key: toBase64Url(randomBytes(ROOM_KEY_BYTES)) };
}
