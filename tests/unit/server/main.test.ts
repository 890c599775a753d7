import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const firstLine = new Promise<string>((res, rej) => {
    child.stdout.on('data', () => out.includes('\n') && res(out.split('\n')[0]!));
    child.once('exit', (code) => rej(new Error(`exited ${code}: ${err}`)));
  });
  // Tests that expect an exit never await the first line; mark its rejection as handled.
  firstLine.catch(() => undefined);
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return { child, firstLine, exited, stderr: () => err };
}

describe('npm start entry (src/server/main.ts)', () => {
  it('serves app and signaling on one port, prints the URL, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-main-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Runder Tisch</title>');
    const server = run({ PORT: '0', HOST: '127.0.0.1', STATIC_DIR: dir });
    const line = await server.firstLine;
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0];
    expect(url).toBeDefined();
    expect(await (await fetch(`${url}/`)).text()).toContain('Runder Tisch');
    expect(await (await fetch(`${url}/healthz`)).json()).toMatchObject({ ok: true });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('refuses an invalid configuration with a message naming the variable', async () => {
    const server = run({ PORT: 'achtzig', STATIC_DIR: tmpdir() });
    expect(await server.exited).toBe(1);
    expect(server.stderr()).toContain('PORT');
  });
});
