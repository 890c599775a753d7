import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Shape of one RTCIceServer as accepted from configuration and handed to browsers. */
export const iceServerSchema = z.strictObject({
  urls: z.union([
    z.string().regex(/^(stun|stuns|turn|turns):/, 'must start with stun:, stuns:, turn: or turns:'),
    z
      .array(z.string().regex(/^(stun|stuns|turn|turns):/, 'must start with stun:, stuns:, turn: or turns:'))
      .min(1),
  ]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

export type IceServer = z.infer<typeof iceServerSchema>;

export interface ServerConfig {
  port: number;
  host: string;
  staticDir: string;
  /** Empty means: the app uses its own origin, path /signal. */
  signalingUrls: string[];
  /** Empty by default on purpose: no third-party STUN server learns who talks to whom. */
  iceServers: IceServer[];
}

export const defaultStaticDir = fileURLToPath(new URL('../../dist', import.meta.url));

const portSchema = z
  .string()
  .regex(/^\d{1,5}$/, 'must be an integer between 0 and 65535')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be an integer between 0 and 65535'));
const hostSchema = z.string().min(1);
const staticDirSchema = z.string().min(1);

const signalingUrlSchema = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'ws:' || url.protocol === 'wss:';
  } catch {
    return false;
  }
}, 'must be a ws:// or wss:// URL');

const iceServersSchema = z.array(iceServerSchema);

/** Deployment tooling often sets variables to '' rather than leaving them out; treat both alike. */
function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function parseVariable<T>(name: string, schema: z.ZodType<T>, raw: unknown): T {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const details = result.error.issues
      .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    throw new Error(`Invalid environment variable ${name}: ${details}`);
  }
  return result.data;
}

function parseJson(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new Error(`Invalid environment variable ${name}: not valid JSON`);
  }
}

export function loadServerConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const port = present(env.PORT);
  const host = present(env.HOST);
  const staticDir = present(env.STATIC_DIR);
  const signalingUrls = present(env.SIGNALING_URLS);
  const iceServers = present(env.ICE_SERVERS);

  return {
    port: port === undefined ? 8080 : parseVariable('PORT', portSchema, port),
    host: host === undefined ? '127.0.0.1' : parseVariable('HOST', hostSchema, host),
    staticDir: staticDir === undefined ? defaultStaticDir : parseVariable('STATIC_DIR', staticDirSchema, staticDir),
    signalingUrls:
      signalingUrls === undefined
        ? []
        : parseVariable(
            'SIGNALING_URLS',
            z.array(signalingUrlSchema),
            signalingUrls
              .split(',')
              .map((entry) => entry.trim())
              .filter((entry) => entry !== ''),
          ),
    iceServers:
      iceServers === undefined ? [] : parseVariable('ICE_SERVERS', iceServersSchema, parseJson('ICE_SERVERS', iceServers)),
  };
}
