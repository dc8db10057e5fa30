#!/usr/bin/env node
// A stand-in for Prometheus or Alertmanager in the daemon tests (daemons.test.ts), in plain Node.
// It takes their flags (--web.listen-address=127.0.0.1:<port>, --storage.path=<dir> or
// --storage.tsdb.path=<dir>, others ignored), answers GET /-/ready with its pid once listening, and
// on SIGTERM keeps writing files into its data folder for --shutdown-ms (300 unless given) before
// it exits, as Alertmanager writes its state on shutdown. --listen-delay-ms=<n> binds only after
// n ms (a slow start-up); --ignore-sigterm makes it run until SIGKILL.
"use strict";
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");

const flags = new Map(
  process.argv.slice(2).map((arg) => {
    const [name, ...value] = arg.replace(/^--/, "").split("=");
    return [name, value.join("=")];
  }),
);
const [host, port] = (flags.get("web.listen-address") ?? "").split(":");
const dataDir = flags.get("storage.path") ?? flags.get("storage.tsdb.path");
const shutdownMs = Number(flags.get("shutdown-ms") ?? 300);

if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
const server = http.createServer((request, response) => {
  response.writeHead(request.url === "/-/ready" ? 200 : 404).end(String(process.pid));
});
server.on("error", (error) => {
  // Node's message names it as Go's does: "listen EADDRINUSE: address already in use 127.0.0.1:<port>".
  console.error(error.message);
  process.exit(1);
});
setTimeout(() => server.listen(Number(port), host), Number(flags.get("listen-delay-ms") ?? 0));

process.on("SIGTERM", () => {
  if (flags.has("ignore-sigterm")) return;
  server.close();
  const until = Date.now() + shutdownMs;
  let n = 0;
  const writeState = () => {
    if (dataDir) {
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(path.join(dataDir, `state-${n++}`), "written on shutdown\n");
    }
    if (Date.now() < until) setTimeout(writeState, 5);
    else process.exit(0);
  };
  writeState();
});
