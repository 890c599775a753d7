import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * y-webrtc's own signaling server, unmodified, except that it may only listen on loopback:
 * its script listens on all interfaces, and a benchmark must not open a port to the network.
 * Prints its port as one JSON line, like ourServerMain.ts.
 */
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (this: http.Server) {
  this.once('listening', () => console.log(JSON.stringify({ port: (this.address() as AddressInfo).port })));
  return (listen as (port: number, host: string) => http.Server).call(this, 0, '127.0.0.1');
} as typeof listen;

await import(pathToFileURL(resolve(import.meta.dirname, '../../../node_modules/y-webrtc/bin/server.js')).href);
