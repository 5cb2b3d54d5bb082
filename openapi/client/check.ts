// An integration's path, with types generated from openapi/openapi.json by openapi-typescript:
// list upcoming KCDs and open one event page, against a live server.
import type { components, paths } from "./schema";

type EventList = paths["/api/v1/events"]["get"]["responses"][200]["content"]["application/json"];
type EventPage = components["schemas"]["EventPage"];
type Query = NonNullable<paths["/api/v1/events"]["get"]["parameters"]["query"]>;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    throw new Error(`GET ${url}: ${response.status}`);
  }
  return (await response.json()) as T;
}

function fail(message: string): never {
  throw new Error(message);
}

async function main(): Promise<void> {
  const base = process.argv[2] ?? fail("usage: node dist/check.js BASE_URL");
  const query: Query = { kind: "kcd", upcoming: true, as_of: "2024-01-01", limit: 10 };
  const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const upcoming = await getJson<EventList>(`${base}/api/v1/events?${params}`);
  const slugs = upcoming.data.map((event) => event.slug);
  console.log(`upcoming KCDs as of 2024-01-01: ${slugs.join(", ")}`);
  if (slugs[0] !== "kcd-mexico-2024" || slugs[1] !== "kcd-costa-rica-2024") {
    fail(`expected KCD Mexico 2024 then KCD Costa Rica 2024, got ${slugs.join(", ")}`);
  }

  const page = await getJson<EventPage>(`${base}/api/v1/events/${slugs[0]}`);
  const keynoteSpeakers = page.talks
    .filter((talk) => talk.kind === "keynote")
    .flatMap((talk) => talk.speakers.map((speaker) => speaker.name));
  const sponsors = page.sponsors.flatMap((group) => group.sponsors.map((s) => s.name));
  console.log(`${page.name} (${page.starts_on} to ${page.ends_on}, ${page.city}, ${page.country})`);
  console.log(`keynotes by: ${keynoteSpeakers.join(", ")}`);
  console.log(`sponsors: ${sponsors.join(", ")}`);
  console.log(`co-located with: ${page.co_located_with?.name ?? "nothing"}`);
  if (!keynoteSpeakers.includes("Whitney Lee") || !sponsors.includes("SUSE")) {
    fail("the KCD Mexico 2024 page lacks its keynote speakers or sponsors");
  }
  if (page.co_located_with?.slug !== "ccoss-2024") {
    fail("KCD Mexico 2024 should be co-located with CCOSS 2024");
  }
  console.log("generated client: ok");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
