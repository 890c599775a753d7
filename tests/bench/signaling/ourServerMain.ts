import { startServer } from '../../../src/server/app.ts';

/**
 * Our server in a process of its own, so it has a core to itself as the stock server does and
 * the load generator does not share its event loop. Prints its port as one JSON line.
 */
const server = await startServer({ port: 0, host: '127.0.0.1', staticDir: process.argv[2] ?? '.' });
console.log(JSON.stringify({ port: server.port }));
process.once('SIGTERM', () => {
  void server.close().finally(() => process.exit(0));
});
