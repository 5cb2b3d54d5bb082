// Upcoming KCDs: a list filterable by region and country with "load more", an event page and a
// search box, each with its loading, empty and error states. Routes live in the hash:
// `#/` (the list), `#/events/{slug}`, `#/search?q=…`.
import { ApiProblem, apiBase, client, unwrap } from "./api.js";
import type { EventPage, EventSummary, Region, SearchHit } from "./api.js";

const app = document.getElementById("app") as HTMLElement;
/** Cards per page: `?limit=` on the page, else 6. */
const PAGE = Number(new URLSearchParams(location.search).get("limit") ?? 6);
const REGIONS: Region[] = ["africa", "asia_pacific", "europe", "latam", "middle_east", "north_america", "online"];

/** An element with attributes and children; text is always text, never HTML. */
function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string | null)[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  for (const child of children) if (child !== null) el.append(child);
  return el;
}

/** `as_of` from the page's address, for a fixed "today" (tests, previews). */
function asOf(): string | undefined {
  return new URLSearchParams(location.search).get("as_of") ?? undefined;
}

const countryNames = new Intl.DisplayNames([navigator.language, "en"], { type: "region" });

function countryName(code: string | null | undefined): string | null {
  if (!code) return null;
  try {
    return countryNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** The event's dates, as its own time zone's calendar has them. */
function dates(e: { starts_on?: string | null; ends_on?: string | null; timezone?: string | null }): string {
  if (!e.starts_on) return "Date to be announced";
  const format = new Intl.DateTimeFormat(navigator.language, {
    dateStyle: "medium",
    timeZone: e.timezone ?? "UTC",
  });
  // Noon on the day, so that no time zone moves it to the day before or after.
  const day = (d: string) => new Date(`${d}T12:00:00Z`);
  const start = day(e.starts_on);
  if (!e.ends_on || e.ends_on === e.starts_on) return format.format(start);
  return format.formatRange(start, day(e.ends_on));
}

function problem(error: unknown): HTMLElement {
  const message =
    error instanceof ApiProblem
      ? error.message
      : `The directory at ${apiBase()} cannot be reached. Try again in a moment.`;
  return h("p", { class: "state error", role: "alert" }, message);
}

function loading(): HTMLElement {
  return h("p", { class: "state loading", role: "status" }, "Loading…");
}

function card(e: EventSummary): HTMLElement {
  const place = [e.city, countryName(e.country)].filter(Boolean).join(", ");
  return h(
    "li",
    { class: "card" },
    e.image_url ? h("img", { src: e.image_url, alt: "" }) : null,
    h("h3", {}, h("a", { href: `#/events/${encodeURIComponent(e.slug)}` }, e.name)),
    h("p", { class: "dates" }, dates(e)),
    place ? h("p", { class: "place" }, place) : null,
  );
}

/** The list of upcoming KCDs, with its filters and "load more". */
async function listView(params: URLSearchParams): Promise<void> {
  const region = params.get("region") ?? "";
  const country = params.get("country") ?? "";
  const regionSelect = h(
    "select",
    { id: "region", name: "region" },
    h("option", { value: "" }, "All regions"),
    ...REGIONS.map((r) => {
      const option = h("option", { value: r }, r.replace("_", " "));
      if (r === region) option.setAttribute("selected", "");
      return option;
    }),
  ) as HTMLSelectElement;
  const countryInput = h("input", {
    id: "country",
    name: "country",
    value: country,
    placeholder: "MX",
    maxlength: "2",
    size: "3",
  }) as HTMLInputElement;
  const form = h(
    "form",
    { class: "filters", role: "search" },
    h("label", { for: "region" }, "Region "),
    regionSelect,
    h("label", { for: "country" }, " Country "),
    countryInput,
    h("button", { type: "submit" }, "Filter"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (regionSelect.value) next.set("region", regionSelect.value);
    if (countryInput.value.trim()) next.set("country", countryInput.value.trim().toUpperCase());
    location.hash = `#/?${next}`;
  });
  const list = h("ul", { class: "cards", "aria-live": "polite" });
  const more = h("button", { type: "button", class: "more" }, "Load more") as HTMLButtonElement;
  const status = h("div", {});
  app.replaceChildren(h("h2", {}, "Upcoming KCDs"), form, list, status, more);
  more.hidden = true;

  let cursor: string | undefined;
  const load = async () => {
    status.replaceChildren(loading());
    more.disabled = true;
    try {
      const page = unwrap(
        await client.GET("/api/v1/events", {
          params: {
            query: {
              kind: "kcd",
              upcoming: true,
              sort: "starts_on",
              limit: PAGE,
              as_of: asOf(),
              region: (region || undefined) as Region | undefined,
              country: country || undefined,
              cursor,
            },
          },
        }),
      );
      status.replaceChildren();
      list.append(...page.data.map(card));
      if (list.children.length === 0) {
        status.replaceChildren(h("p", { class: "state empty" }, "No upcoming KCDs match these filters."));
      }
      cursor = page.page.next_cursor ?? undefined;
      more.hidden = !cursor;
    } catch (error) {
      status.replaceChildren(problem(error));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener("click", load);
  await load();
}

/** One event: dates, venue and map, talks with speakers, sponsors by tier, co-located events,
 * posts, and its calendar file. */
async function eventView(slug: string): Promise<void> {
  app.replaceChildren(loading());
  let e: EventPage;
  try {
    // The page as JSON (the same URL also serves JSON-LD to those who ask for it).
    e = unwrap(
      await client.GET("/api/v1/events/{slug}", {
        params: { path: { slug } },
        headers: { Accept: "application/json" },
      }),
    ) as EventPage;
  } catch (error) {
    app.replaceChildren(h("h2", {}, "Event"), problem(error), h("p", {}, h("a", { href: "#/" }, "Back to the list")));
    return;
  }
  const where = [e.venue, e.city, countryName(e.country)].filter(Boolean).join(", ");
  const map =
    e.latitude != null && e.longitude != null
      ? h(
          "a",
          {
            href: `https://www.openstreetmap.org/?mlat=${e.latitude}&mlon=${e.longitude}#map=16/${e.latitude}/${e.longitude}`,
            rel: "noopener",
          },
          "Map",
        )
      : null;
  const ics = `${apiBase()}/api/v1/events/${encodeURIComponent(e.slug)}.ics`;
  const section = (title: string, items: HTMLElement[], empty: string) =>
    h("section", {}, h("h3", {}, title), items.length ? h("ul", {}, ...items) : h("p", { class: "state empty" }, empty));
  const parts: (HTMLElement | null)[] = [
    h("p", {}, h("a", { href: "#/" }, "← Upcoming KCDs")),
    h("h2", {}, e.name),
    h("p", { class: "dates" }, dates(e)),
    where ? h("p", { class: "place" }, where, map ? " · " : "", map ?? "") : null,
    h("p", {}, h("a", { href: ics, download: `${e.slug}.ics` }, "Add to calendar")),
    section(
      "Talks",
      e.talks.map((t) =>
        h(
          "li",
          {},
          // A session the posts describe without a title shows their words for it.
          t.title ? h("strong", {}, t.title) : h("em", {}, t.summary ?? t.slug),
          t.speakers.length ? ` — ${t.speakers.map((s) => s.name).join(", ")}` : "",
        ),
      ),
      "No talks listed yet.",
    ),
    section(
      "Sponsors",
      e.sponsors.map((g) =>
        h("li", {}, h("strong", {}, g.tier ?? "Tier not known"), `: ${g.sponsors.map((s) => s.name).join(", ")}`),
      ),
      "No sponsors listed yet.",
    ),
    section(
      "Co-located events",
      [...(e.co_located_with ? [e.co_located_with] : []), ...e.co_located_events].map((c) =>
        h("li", {}, h("a", { href: `#/events/${encodeURIComponent(c.slug)}` }, c.name)),
      ),
      "None.",
    ),
    section(
      "Posts",
      e.posts.map((p) => h("li", {}, p.title)),
      "No posts about it yet.",
    ),
  ];
  app.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
}

/** Search over events, people, organizations, posts and series. */
async function searchView(q: string): Promise<void> {
  const input = h("input", { id: "q", name: "q", value: q, type: "search" }) as HTMLInputElement;
  const form = h("form", { role: "search" }, h("label", { for: "q" }, "Search "), input, h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = `#/search?q=${encodeURIComponent(input.value)}`;
  });
  const results = h("div", { "aria-live": "polite" });
  app.replaceChildren(h("h2", {}, "Search"), form, results);
  if (!q.trim()) return;
  results.replaceChildren(loading());
  try {
    const found = unwrap(await client.GET("/api/v1/search", { params: { query: { q, limit: 20 } } }));
    const link = (hit: SearchHit) =>
      hit.type === "event" ? h("a", { href: `#/events/${encodeURIComponent(hit.slug)}` }, hit.title) : hit.title;
    results.replaceChildren(
      found.data.length
        ? h("ul", { class: "results" }, ...found.data.map((hit) => h("li", {}, link(hit), ` (${hit.type})`)))
        : h("p", { class: "state empty" }, `Nothing matches “${q}”.`),
    );
  } catch (error) {
    results.replaceChildren(problem(error));
  }
}

async function route(): Promise<void> {
  const [path = "/", query = ""] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query);
  const event = path.match(/^\/events\/([^/]+)$/);
  if (event?.[1]) return eventView(decodeURIComponent(event[1]));
  if (path === "/search") return searchView(params.get("q") ?? "");
  return listView(params);
}

window.addEventListener("hashchange", () => void route());
void route();
