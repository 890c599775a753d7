import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import type { Cleanup } from '../lib/cleanup.ts';

export interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts a server script under tsx and waits for the JSON line with its port. */
async function startProcess(script: string, args: string[], path: string, cleanup: Cleanup): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, script), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    // A server that ignores SIGTERM must still not outlive the benchmark.
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  cleanup.add(`server ${script}`, stop);
  const port = await new Promise<number>((resolvePort, reject) => {
    let buffered = '';
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => l.startsWith('{"port":'));
      if (line) resolvePort((JSON.parse(line) as { port: number }).port);
    });
  });
  return { url: `ws://127.0.0.1:${port}${path}`, stop };
}

export function startOurSignaling(staticDir: string, cleanup: Cleanup): Promise<ServerProcess> {
  return startProcess('ourServerMain.ts', [staticDir], '/signal', cleanup);
}

export function startStockSignaling(cleanup: Cleanup): Promise<ServerProcess> {
  return startProcess('stockServerMain.ts', [], '/', cleanup);
}
