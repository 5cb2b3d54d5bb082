// The eventdir client: openapi-fetch over the types generated from the API's OpenAPI document,
// with the API's problem+json errors turned into messages and a 503 retried after its
// Retry-After.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type EventSummary = components["schemas"]["EventSummary"];
export type EventPage = components["schemas"]["EventPage"];
export type SearchHit = components["schemas"]["SearchHit"];
export type Region = components["schemas"]["Region"];

/** A request the API refused, with the `detail` it gave. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}

/** Where the API is: `?api=` on the page, else the config the server wrote, else the default. */
export function apiBase(): string {
  const fromPage = new URLSearchParams(location.search).get("api");
  const fromConfig = (globalThis as { EVENTDIR_API?: string }).EVENTDIR_API;
  return fromPage ?? fromConfig ?? "http://127.0.0.1:8080";
}

const MAX_RETRIES = 3;

/** `fetch` that revalidates what the browser cached (`If-None-Match`, a 304 costs next to
 * nothing) and waits out a 503 (the API says how long in `Retry-After`) a few times. */
async function patientFetch(input: Request): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(new Request(input.clone(), { cache: "no-cache" }));
    if (response.status !== 503 || attempt >= MAX_RETRIES) return response;
    const seconds = Number(response.headers.get("Retry-After") ?? "1");
    await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(seconds, 1), 30) * 1000));
  }
}

export const client = createClient<paths>({ baseUrl: apiBase(), fetch: patientFetch });

/** The data of a response, or an `ApiProblem` with the API's own words. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data !== undefined) return result.data;
  const problem = result.error as { detail?: string; title?: string } | undefined;
  throw new ApiProblem(
    result.response.status,
    problem?.detail ?? problem?.title ?? `The directory answered ${result.response.status}.`,
  );
}
