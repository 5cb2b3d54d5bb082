"""The feeds as other software reads them: the calendar with the `icalendar` package, the Atom
feed with `feedparser` (no `bozo`), and a calendar entry that keeps its UID when its event's
slug changes.

Usage: feeds.py BASE_URL ADMIN_TOKEN
"""

import json
import sys
import urllib.request

import feedparser
import icalendar


def check(condition, what):
    if not condition:
        sys.exit(f"feeds check failed: {what}")


def get(base, path, headers=None):
    with urllib.request.urlopen(urllib.request.Request(base + path, headers=headers or {})) as r:
        return r.read(), r.headers


def events_of(text):
    calendar = icalendar.Calendar.from_ical(text)
    return [c for c in calendar.walk("VEVENT")]


def main(base, token):
    body, _ = get(base, "/api/v1/events.ics")
    events = events_of(body)
    check(events, "the calendar has events")
    for e in events:
        check(e.get("UID") and e.get("DTSTART") and e.get("DTEND"), f"a whole VEVENT: {e}")

    feed = feedparser.parse(get(base, "/api/v1/posts.atom")[0])
    check(not feed.bozo, f"feedparser: {feed.get('bozo_exception')}")
    check(feed.entries and all(e.get("updated") for e in feed.entries), "entries with dates")

    # An event of its own, renamed: its calendar entry is the same one, a revision later.
    auth = {"Authorization": f"Bearer {token}"}

    def send(method, path, body, headers):
        request = urllib.request.Request(
            base + path, method=method, data=json.dumps(body).encode(),
            headers={**auth, **headers})
        with urllib.request.urlopen(request) as r:
            return r.status, r.headers

    status, headers = send("POST", "/api/v1/events",
                           {"name": "KCD Feeds 2031", "kind": "kcd", "starts_on": "2031-05-01"},
                           {"Content-Type": "application/json"})
    check(status == 201, f"create: {status}")
    slug = headers["Location"].rsplit("/", 1)[1]
    before = events_of(get(base, f"/api/v1/events/{slug}.ics")[0])[0]
    status, _ = send("PATCH", f"/api/v1/events/{slug}", {"slug": f"{slug}-renamed"},
                     {"If-Match": headers["ETag"], "Content-Type": "application/merge-patch+json"})
    check(status == 200, f"rename: {status}")
    after = events_of(get(base, f"/api/v1/events/{slug}-renamed.ics")[0])[0]
    check(str(after["UID"]) == str(before["UID"]), f"UID {before['UID']} became {after['UID']}")
    check(int(after["SEQUENCE"]) > int(before["SEQUENCE"]), "SEQUENCE rises")
    print(f"feeds: {len(events)} VEVENTs parsed by icalendar, {len(feed.entries)} Atom entries "
          f"without bozo, UID {after['UID']} kept across a rename")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
