// The page as a person uses it, in Debian's Chromium driven by playwright-core: the list as of a
// fixed day, a region filter, "load more", an event page, search, an unknown event; a reload
// that revalidates with If-None-Match; no request but to the page's and the API's origins; no
// serious or critical axe-core violation. The server holds the corpus and a seeded dataset
// (`eventdir seed --synthetic N --as-of 2032-01-01`, events from 2027 to 2037): its KCDs in
// one region are paged through to the end and must be the API's own answer. Screenshots go to OUT; with SCREENSHOT set, the list's
// is also written there (the README's picture).
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
// A "today" before every seeded event and after every KCD of the corpus.
const SEEDED_FROM = "2027-01-01";
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
if (process.env.SCREENSHOT) await page.screenshot({ path: process.env.SCREENSHOT });

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
// Europe: Norway from the corpus, then the first seeded KCD there.
assert.deepEqual(await cards(), ["KCD Norway 2024", "KCD Munich 2027 #90"]);

// The seeded dataset, filtered by region through the form and paged through to the end, is
// what the API itself answers, in order, each event once.
const seeded = async (query) => {
  const names = [];
  let cursor;
  do {
    const url = `${API}/api/v1/events?kind=kcd&upcoming=true&sort=starts_on&limit=100&as_of=${SEEDED_FROM}&${query}`;
    const body = await (await fetch(cursor ? `${url}&cursor=${encodeURIComponent(cursor)}` : url)).json();
    names.push(...body.data.map((e) => e.name));
    cursor = body.page.next_cursor;
  } while (cursor);
  return names;
};
const expected = await seeded("region=latam");
assert.ok(expected.length > 15, `the seeded dataset has pages of KCDs in Latin America: ${expected}`);
await page.goto(`${PAGE}/?as_of=${SEEDED_FROM}&limit=5#/`);
await page.locator(".card").first().waitFor();
await page.selectOption("#region", "latam");
await page.getByRole("button", { name: "Filter" }).click();
await page.waitForFunction(() => location.hash.includes("region=latam"));
await page.waitForFunction((first) => document.querySelector(".card h3")?.textContent === first, expected[0]);
const more = page.getByRole("button", { name: "Load more" });
while (await more.isVisible()) {
  const shown = (await cards()).length;
  await more.click();
  await page.waitForFunction((n) => document.querySelectorAll(".card").length > n, shown);
}
assert.deepEqual(await cards(), expected);

// An event page: talks and sponsors.
await page.goto(`${PAGE}/#/events/kcd-mexico-2024`);
await page.getByRole("heading", { name: "KCD Mexico 2024" }).waitFor();
const text = await page.locator("main").innerText();
assert.match(text, /Whitney Lee/);
assert.match(text, /SUSE/);
await page.screenshot({ path: join(OUT, "event.png"), fullPage: true });
await accessible("the event page");

// Search finds Bogotá's KCD from "bogota", among the seeded events named "… Bogota".
await page.goto(`${PAGE}/#/search?q=bogota`);
await page.locator(".results li").first().waitFor();
const found = await page.locator(".results").innerText();
assert.match(found, /KCD Colombia 2025\b/);
assert.match(found, /KCD Bogota 20\d\d #\d+/);

// An unknown event: the API's own words, not a blank page.
await page.goto(`${PAGE}/#/events/no-such-event`);
await page.locator(".state.error").waitFor();
assert.match(await page.locator(".state.error").innerText(), /no event has the slug/);

// Nothing left the two origins.
const elsewhere = requests.filter((r) => !r.url.startsWith(PAGE) && !r.url.startsWith(API));
assert.deepEqual(elsewhere.map((r) => r.url), []);

await browser.close();
console.log(`browser test passed: ${requests.length} requests, screenshots in ${OUT}`);
