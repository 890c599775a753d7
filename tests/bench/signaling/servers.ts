import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Cleanup } from '../lib/cleanup.ts';

export interface ServerProcess {
  url: string;
  /** CPU time (user + system) the server process has used so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/**
 * From /proc: CPU time is what a server spends per relay whatever else runs on the machine,
 * so it compares servers more steadily than latency does on a shared two-core box.
 */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces): utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
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
  return { url: `ws://127.0.0.1:${port}${path}`, cpuMs: () => cpuMsOf(child.pid!), stop };
}

export function startOurSignaling(staticDir: string, cleanup: Cleanup): Promise<ServerProcess> {
  return startProcess('ourServerMain.ts', [staticDir], '/signal', cleanup);
}

export function startStockSignaling(cleanup: Cleanup): Promise<ServerProcess> {
  return startProcess('stockServerMain.ts', [], '/', cleanup);
}
