import { startServer } from './app.ts';
import { loadServerConfig } from './config.ts';

let config;
try {
  config = loadServerConfig(process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const server = await startServer(config);
console.log(`Runder Tisch läuft auf ${server.url}`);

const shutdown = () => {
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
