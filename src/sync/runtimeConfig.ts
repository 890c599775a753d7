import { z } from 'zod';

const WsUrl = z.url({ protocol: /^wss?$/ });

export const IceServer = z.object({
  urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

/** What the serving deployment tells the app at start (GET /config.json). */
export const RuntimeConfig = z.object({
  signalingUrls: z.array(WsUrl).max(8),
  iceServers: z.array(IceServer).max(16),
});
export type RuntimeConfig = z.infer<typeof RuntimeConfig>;

/** An empty list means: the signaling server of the origin that served the app. */
export function resolveSignalingUrls(config: RuntimeConfig, origin: string): string[] {
  if (config.signalingUrls.length > 0) return config.signalingUrls;
  const url = new URL('/signal', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [url.toString()];
}

let cached: Promise<RuntimeConfig> | null = null;

export function loadRuntimeConfig(fetchImpl: typeof fetch = fetch): Promise<RuntimeConfig> {
  cached ??= (async () => {
    const response = await fetchImpl('/config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
    return RuntimeConfig.parse(await response.json());
  })().catch((error: unknown) => {
    cached = null;
    throw error;
  });
  return cached;
}
