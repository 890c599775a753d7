import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/**
 * The peer process was killed by the operating system for a fault in native code (seen:
 * SIGSEGV inside @roamhq/wrtc under load). Not a finding about the app: the test runs that seed
 * again in fresh processes.
 */
export class PeerCrashedError extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`peer process crashed (${signal})`);
  }
}

const NATIVE_FAULTS: readonly NodeJS.Signals[] = ['SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGABRT', 'SIGFPE'];

/** A replica process (webrtcPeer.ts), driven by request and reply over IPC. */
export class PeerProcess {
  #child: ChildProcess;
  #next = 1;
  #waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  readonly started: Promise<void>;
  #exited = false;
  #crash: PeerCrashedError | null = null;

  constructor() {
    this.#child = fork(fileURLToPath(new URL('./webrtcPeer.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.started = new Promise<void>((resolve, reject) => {
      this.#waiting.set(0, { resolve: () => resolve(), reject });
    });
    this.#child.on('message', (reply: Reply) => {
      const waiter = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (reply.ok) waiter?.resolve(reply.result);
      else waiter?.reject(new Error(reply.error));
    });
    this.#child.on('exit', (code, signal) => {
      this.#exited = true;
      if (signal && NATIVE_FAULTS.includes(signal)) this.#crash = new PeerCrashedError(signal);
      for (const w of this.#waiting.values()) w.reject(this.#crash ?? new Error(`peer process exited (${code ?? signal})`));
      this.#waiting.clear();
    });
  }

  request<T = unknown>(command: Record<string, unknown>): Promise<T> {
    if (this.#exited) return Promise.reject(this.#crash ?? new Error('peer process has exited'));
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // A send can fail (EPIPE) when the process died a moment before its exit event: the exit
      // then answers this request with the crash. Without this callback the failure was an
      // uncaught error that failed the whole unit run.
      this.#child.send({ ...command, id }, (error) => {
        if (!error || !this.#exited) return;
        this.#waiting.delete(id);
        reject(this.#crash ?? error);
      });
    });
  }

  async stop(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    await this.request({ op: 'exit' }).catch(() => undefined);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface PeerState {
  sv: number[];
  state: number[];
  view: string;
  incrementalMatches: boolean;
  rich: string;
  peers: number;
  /** Connections whose handshake has not finished. */
  handshakes: number;
  broadcast: number;
  /** Errors thrown in event handlers so far (a browser logs them and goes on). */
  uncaught: number;
}
