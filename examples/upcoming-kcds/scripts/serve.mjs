// Serves dist/ on its own origin (PORT, default 5173), with config.js telling the page where
// the API is (EVENTDIR_API, default http://127.0.0.1:8080): the API is another origin, as it
// would be for a community site.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const port = Number(process.env.PORT ?? 5173);
const host = process.env.HOST ?? "127.0.0.1";
const api = process.env.EVENTDIR_API ?? "http://127.0.0.1:8080";
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
};

createServer(async (req, res) => {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (path === "/config.js") {
    res.writeHead(200, { "content-type": types[".js"], "cache-control": "no-store" });
    res.end(`globalThis.EVENTDIR_API = ${JSON.stringify(api)};\n`);
    return;
  }
  const file = normalize(join(dist, path === "/" ? "index.html" : path));
  if (!file.startsWith(dist)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  }
}).listen(port, host, () => {
  console.log(`upcoming KCDs on http://${host}:${port}/ (API: ${api})`);
});
