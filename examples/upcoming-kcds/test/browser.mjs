// The page as a person uses it, in Debian's Chromium driven by playwright-core: the list as of a
// fixed day, a region filter, "load more", an event page, search, an unknown event; a reload
// that revalidates with If-None-Match; no request but to the page's and the API's origins; no
// serious or critical axe-core violation. Screenshots go to OUT.
//
//   PAGE=http://127.0.0.1:5173 API=http://127.0.0.1:8080 node test/browser.mjs
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { chromium } from "playwright-core";

const PAGE = process.env.PAGE ?? "http://127.0.0.1:5173";
const API = process.env.API ?? "http://127.0.0.1:8080";
const OUT = process.env.OUT ?? "../../target/browser";
const AS_OF = "2024-01-01";
mkdirSync(OUT, { recursive: true });
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
const requests = [];
// What was sent, with the headers the browser's cache added (If-None-Match).
page.on("requestfinished", async (r) => requests.push({ url: r.url(), headers: await r.allHeaders() }));
page.on("requestfailed", (r) => requests.push({ url: r.url(), headers: {} }));
// Statuses as they came over the wire (a revalidated response reaches the page as its cached 200).
const wire = [];
const cdp = await page.context().newCDPSession(page);
await cdp.send("Network.enable");
cdp.on("Network.responseReceivedExtraInfo", (e) => wire.push(e.statusCode));

const cards = async () => page.locator(".card h3").allInnerTexts();
const accessible = async (what) => {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => await globalThis.axe.run());
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(bad.map((v) => v.id), [], `${what}: ${JSON.stringify(bad, null, 1)}`);
};

// The list as of a fixed day, two at a time.
await page.goto(`${PAGE}/?as_of=${AS_OF}&limit=2#/`);
await page.locator(".card").first().waitFor();
assert.deepEqual(await cards(), ["KCD Norway 2024", "KCD Mexico 2024"]);
await page.screenshot({ path: join(OUT, "list.png"), fullPage: true });
await accessible("the list");

// "Load more" appends the next page.
await page.getByRole("button", { name: "Load more" }).click();
await page.locator(".card").nth(2).waitFor();
assert.deepEqual(await cards(), ["KCD Norway 2024", "KCD Mexico 2024", "KCD Costa Rica 2024", "KCD Colombia 2025"]);

// A reload asks again with If-None-Match and is answered 304.
await page.waitForTimeout(200);
const before = requests.length;
await page.reload();
await page.locator(".card").first().waitFor();
await page.waitForTimeout(300);
const again = requests.slice(before).filter((r) => r.url.startsWith(`${API}/api/v1/events`));
assert.ok(again.length > 0, "the reload asked the API");
assert.ok(again.every((r) => r.headers["if-none-match"]), `revalidated: ${JSON.stringify(again)}`);
await page.waitForTimeout(200);
assert.ok(wire.includes(304), `a 304 among ${JSON.stringify(wire)}`);

// The region filter narrows the list.
await page.selectOption("#region", "europe");
await page.getByRole("button", { name: "Filter" }).click();
await page.waitForFunction(() => location.hash.includes("region=europe"));
await page.locator(".card").first().waitFor();
assert.deepEqual(await cards(), ["KCD Norway 2024"]);

// An event page: talks and sponsors.
await page.goto(`${PAGE}/#/events/kcd-mexico-2024`);
await page.getByRole("heading", { name: "KCD Mexico 2024" }).waitFor();
const text = await page.locator("main").innerText();
assert.match(text, /Whitney Lee/);
assert.match(text, /SUSE/);
await page.screenshot({ path: join(OUT, "event.png"), fullPage: true });
await accessible("the event page");

// Search finds Bogotá's KCD from "bogota".
await page.goto(`${PAGE}/#/search?q=bogota`);
await page.locator(".results li").first().waitFor();
assert.match(await page.locator(".results").innerText(), /KCD Colombia 2025/);

// An unknown event: the API's own words, not a blank page.
await page.goto(`${PAGE}/#/events/no-such-event`);
await page.locator(".state.error").waitFor();
assert.match(await page.locator(".state.error").innerText(), /no event has the slug/);

// Nothing left the two origins.
const elsewhere = requests.filter((r) => !r.url.startsWith(PAGE) && !r.url.startsWith(API));
assert.deepEqual(elsewhere.map((r) => r.url), []);

await browser.close();
console.log(`browser test passed: ${requests.length} requests, screenshots in ${OUT}`);
