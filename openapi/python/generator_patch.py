"""The PATCH journey with a client from openapi-generator's `python` generator.

Usage: generator_patch.py BASE_URL ADMIN_TOKEN (the generated package `ogclient` importable).
A patch built with keyword arguments (`EventInput(city=...)`) sends only the members given:
the other members stay, and `null` given on purpose clears one. (`EventInput.from_dict` marks
every member as set, so its `to_dict` sends all of them; build patches with keyword arguments.)
"""

import sys

import ogclient
from ogclient.models import EventInput, EventKind, NewEvent


def check(condition, what):
    if not condition:
        sys.exit(f"openapi-generator journey failed: {what}")


def main(base, token):
    config = ogclient.Configuration(host=base, access_token=token)
    with ogclient.ApiClient(config) as client:
        events = ogclient.EventsApi(client)
        created = events.create_event_with_http_info(
            NewEvent(name="KCD Generator 2031", kind=EventKind.KCD, city="Lima",
                     venue="Centro", country="PE"))
        check(created.status_code == 201, f"create: {created.status_code}")
        slug, tag = created.data.slug, created.headers["etag"]

        patched = events.update_event_with_http_info(slug, tag, EventInput(city="Cusco"))
        page = patched.data
        check(page.city == "Cusco", "the patched member changed")
        check((page.venue, page.country) == ("Centro", "PE"), f"untouched members stay: {page}")

        cleared = events.update_event_with_http_info(
            slug, patched.headers["etag"], EventInput(venue=None))
        check(cleared.data.venue is None and cleared.data.city == "Cusco", "null clears one member")
        try:
            events.update_event(slug, tag, EventInput(city="Arequipa"))
            check(False, "a stale ETag was accepted")
        except ogclient.ApiException as e:
            check(e.status == 412, f"a stale ETag: {e.status}")
    print(f"openapi-generator journey: created {slug}, one-member patch, null clears, 412 when stale")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
