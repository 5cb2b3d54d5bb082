// Puts the page together in dist/: the HTML and CSS as written, the compiled modules (tsc
// wrote dist/js), and openapi-fetch's own ES module for the import map.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
mkdirSync(join(dist, "vendor"), { recursive: true });
copyFileSync(join(root, "index.html"), join(dist, "index.html"));
copyFileSync(join(root, "style.css"), join(dist, "style.css"));
copyFileSync(
  join(root, "node_modules", "openapi-fetch", "dist", "index.mjs"),
  join(dist, "vendor", "openapi-fetch.mjs"),
);
