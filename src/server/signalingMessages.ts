import { z } from 'zod';

/**
 * The four message types y-webrtc 10.3 clients send to a signaling server.
 * Anything else is treated as hostile, because a well-behaved client never sends it.
 */
export function createSignalingMessageSchema(limits: { maxTopicLength: number; maxTopicsPerMessage: number }) {
  const topic = z.string().min(1).max(limits.maxTopicLength);
  const topics = z.array(topic).max(limits.maxTopicsPerMessage);

  return z.discriminatedUnion('type', [
    z.object({ type: z.literal('subscribe'), topics }),
    z.object({ type: z.literal('unsubscribe'), topics }),
    // Publish payloads are opaque (encrypted when the room has a password) and relayed as-is.
    z.looseObject({ type: z.literal('publish'), topic }),
    z.object({ type: z.literal('ping') }),
  ]);
}

export type SignalingMessage = z.infer<ReturnType<typeof createSignalingMessageSchema>>;
