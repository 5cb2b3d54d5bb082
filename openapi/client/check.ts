// An integration's path with openapi-typescript's types and openapi-fetch, against a live
// server, compiled with `tsc --strict`: every page of the upcoming KCDs, one event page (typed:
// its talks and sponsors are reached without a cast), a search, then with an admin token a
// created event, a merge patch under If-Match, a 412 for a stale ETag and the change feed from
// its start.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

type EventPage = components["schemas"]["EventPage"];

function fail(message: string): never {
  throw new Error(message);
}

async function main(): Promise<void> {
  const base = process.argv[2] ?? fail("usage: node dist/check.js BASE_URL ADMIN_TOKEN");
  const token = process.argv[3] ?? fail("usage: node dist/check.js BASE_URL ADMIN_TOKEN");
  // JSON only: the event page also comes as JSON-LD, which this client does not ask for.
  const api = createClient<paths, "application/json">({ baseUrl: base });

  const slugs: string[] = [];
  let cursor: string | undefined;
  do {
    const { data } = await api.GET("/api/v1/events", {
      params: { query: { kind: "kcd", upcoming: true, as_of: "2024-02-01", limit: 2, cursor } },
    });
    if (!data) fail("listing upcoming KCDs failed");
    slugs.push(...data.data.map((event) => event.slug));
    cursor = data.page.next_cursor ?? undefined;
  } while (cursor);
  console.log(`upcoming KCDs as of 2024-02-01 (after KCD Norway's January): ${slugs.join(", ")}`);
  if (slugs[0] !== "kcd-mexico-2024" || slugs[1] !== "kcd-costa-rica-2024") {
    fail(`expected KCD Mexico 2024 then KCD Costa Rica 2024, got ${slugs.join(", ")}`);
  }

  const got = await api.GET("/api/v1/events/{slug}", { params: { path: { slug: slugs[0] } } });
  const page: EventPage = got.data ?? fail(`GET the event page: ${got.response.status}`);
  const keynoteSpeakers = page.talks
    .filter((talk) => talk.kind === "keynote")
    .flatMap((talk) => talk.speakers.map((speaker) => speaker.name));
  const sponsors = page.sponsors.flatMap((group) => group.sponsors.map((s) => s.name));
  console.log(`${page.name} (${page.starts_on} to ${page.ends_on}, ${page.city}, ${page.country})`);
  if (!keynoteSpeakers.includes("Whitney Lee") || !sponsors.includes("SUSE")) {
    fail("the KCD Mexico 2024 page lacks its keynote speakers or sponsors");
  }
  if (page.co_located_with?.slug !== "ccoss-2024") {
    fail("KCD Mexico 2024 should be co-located with CCOSS 2024");
  }

  const hits = await api.GET("/api/v1/search", { params: { query: { q: "kcd mexico" } } });
  if (!hits.data?.data.some((hit) => hit.slug === "kcd-mexico-2024")) fail("search misses it");

  const auth = { Authorization: `Bearer ${token}` };
  const created = await api.POST("/api/v1/events", {
    headers: auth,
    body: { name: "KCD Typescript 2031", kind: "kcd", city: "Lima" },
  });
  const slug = created.data?.slug ?? fail(`create: ${created.response.status}`);
  const tag = created.response.headers.get("etag") ?? fail("no ETag on the 201");
  const patched = await api.PATCH("/api/v1/events/{slug}", {
    params: { path: { slug }, header: { "If-Match": tag } },
    headers: auth,
    body: { venue: "Centro" },
  });
  if (patched.data?.venue !== "Centro" || patched.data.city !== "Lima") {
    fail(`the merge patch: ${patched.response.status}`);
  }
  const stale = await api.PATCH("/api/v1/events/{slug}", {
    params: { path: { slug }, header: { "If-Match": tag } },
    headers: auth,
    body: { city: "Cusco" },
  });
  if (stale.response.status !== 412) fail(`a stale ETag: ${stale.response.status}`);

  let since: string | undefined = "0";
  let changes = 0;
  let sawCreate = false;
  while (since) {
    const feed = await api.GET("/api/v1/changes", { params: { query: { since, limit: 50 } } });
    const data: components["schemas"]["ChangesPage"] = feed.data ?? fail("reading the feed");
    changes += data.data.length;
    sawCreate ||= data.data.some((c) => c.entity_type === "event" && c.action === "create");
    since = data.data.length > 0 ? data.next_since : undefined;
  }
  if (!sawCreate) fail("the change feed lacks the created event");
  console.log(`typescript journey: ${slugs.length} upcoming KCDs, created and patched ${slug}, ` +
    `412 on a stale ETag, ${changes} changes read`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
