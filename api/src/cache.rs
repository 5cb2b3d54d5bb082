//! The response cache of public reads, keyed by the normalized request and kept until a write
//! touches what a response shows.
//!
//! Every transaction that changes data increments the one-row `data_version` first (see
//! `services::writes::begin`), and a write of the API records under that version what it made
//! stale (`cache_invalidations`, see `services::writes::stale`). Each cached response carries
//! [`Tags`]: the records it shows and the lists it holds. This process reads the version from
//! the database at most once per `max_staleness` (0: on every request), and again right after
//! each of its own writes; when it moved, it reads what each version since its last made stale
//! and drops only the responses those touch — everything, when a version has no row (the
//! importer's). So its own writes are visible on the next read, and writes through another
//! replica or the importer after at most `max_staleness`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::web::Bytes;
use entity::{cache_invalidation, data_version};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

/// What a response depends on, or what a write made stale: `slug:S`, `page:S`, `events`,
/// `people`, `organizations`, `posts`, or `*` (everything). See `services::writes::stale`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Arc<[String]>);

impl Tags {
    pub fn new(tags: impl IntoIterator<Item = String>) -> Self {
        let mut tags: Vec<String> = tags.into_iter().collect();
        tags.sort_unstable();
        tags.dedup();
        if tags.iter().any(|t| t == "*") {
            tags = vec!["*".to_owned()];
        }
        Self(tags.into())
    }

    /// Depends on, or touches, everything.
    pub fn everything() -> Self {
        Self::new(["*".to_owned()])
    }

    /// The tags as stored: separated by spaces.
    pub fn parse(stored: &str) -> Self {
        Self::new(
            stored
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        )
    }

    fn all(&self) -> bool {
        self.0.first().is_some_and(|t| t == "*")
    }

    /// Whether a write that made `stale` stale touches a response that depends on `self`.
    pub fn touched_by(&self, stale: &Tags) -> bool {
        (self.all() && !stale.0.is_empty())
            || stale.all()
            || self.0.iter().any(|t| stale.0.binary_search(t).is_ok())
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

/// This process's view of the data version.
#[derive(Debug)]
pub struct DataVersion {
    value: AtomicI64,
    checked: Mutex<Option<Instant>>,
    max_staleness: Duration,
}

impl DataVersion {
    pub fn new(max_staleness: Duration) -> Self {
        Self {
            value: AtomicI64::new(-1),
            checked: Mutex::new(None),
            max_staleness,
        }
    }

    /// The current version: the one last read when that was less than `max_staleness` ago,
    /// else a fresh read, after which `cache` drops what the versions since its own made stale.
    pub async fn current(
        &self,
        db: &impl ConnectionTrait,
        cache: &ResponseCache,
    ) -> Result<i64, DbErr> {
        let fresh = self
            .checked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some_and(|at| at.elapsed() < self.max_staleness);
        if fresh {
            return Ok(self.value.load(Ordering::Acquire));
        }
        let read = data_version::Entity::find_by_id(1)
            .one(db)
            .await?
            .map_or(0, |row| row.value);
        let known = cache.version();
        if read > known {
            let changes = stale_since(db, known, read).await?;
            cache.advance(known, read, changes);
        }
        let value = self.value.fetch_max(read, Ordering::AcqRel).max(read);
        *self.checked.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
        Ok(value)
    }

    /// The version last read, if any.
    pub fn last(&self) -> Option<i64> {
        Some(self.value.load(Ordering::Acquire)).filter(|v| *v >= 0)
    }

    /// Forgets when the version was read, so the next read checks it (after a local write).
    pub fn invalidate(&self) {
        *self.checked.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

/// What each version in `(from, to]` made stale, or `None` when one of them left no record
/// (or the cache knew no version yet).
async fn stale_since(
    db: &impl ConnectionTrait,
    from: i64,
    to: i64,
) -> Result<Option<Vec<(i64, Tags)>>, DbErr> {
    if from < 0 || to - from > 1000 {
        return Ok(None);
    }
    let rows = cache_invalidation::Entity::find()
        .filter(cache_invalidation::Column::Version.gt(from))
        .filter(cache_invalidation::Column::Version.lte(to))
        .order_by_asc(cache_invalidation::Column::Version)
        .all(db)
        .await?;
    if rows.len() as i64 != to - from {
        return Ok(None);
    }
    Ok(Some(
        rows.into_iter()
            .map(|row| (row.version, Tags::parse(&row.tags)))
            .collect(),
    ))
}

/// A cached `200` response: its body, validator and headers.
#[derive(Debug)]
pub struct Cached {
    pub body: Bytes,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The route template that made it, for metrics (a hit skips routing).
    pub route: Option<Arc<str>>,
}

impl Cached {
    fn size(&self, key: &str) -> usize {
        key.len()
            + self.body.len()
            + self
                .headers
                .iter()
                .map(|(n, v)| n.as_str().len() + v.len())
                .sum::<usize>()
            + 64
    }
}

/// Responses kept until a write touches them, evicted oldest first beyond `max_bytes`.
#[derive(Debug)]
pub struct ResponseCache {
    max_bytes: usize,
    inner: Mutex<Inner>,
    /// Responses being made now, by version and key: the same request arriving meanwhile
    /// waits for that one instead of making it again (after a write, every reader misses).
    pending: Mutex<HashMap<String, Waiting>>,
}

/// What waiting requests receive: the response made for them (`None` until it is made).
pub type Waiting = tokio::sync::watch::Receiver<Option<Arc<Cached>>>;

/// What a request that missed the cache does.
pub enum Turn {
    /// Make the response; the guard wakes the waiters when dropped.
    Make(Maker),
    /// Another request is making it: wait for it. (It is served to the waiters even when a
    /// write made it too old to keep: they asked before that write.)
    Wait(Waiting),
}

/// Held by the request making a response; dropping it (after `put`, or on failure) wakes the
/// requests waiting for it.
pub struct Maker {
    cache: Arc<ResponseCache>,
    key: String,
    done: tokio::sync::watch::Sender<Option<Arc<Cached>>>,
}

impl Maker {
    /// Hands the response to the requests waiting for it.
    pub fn finish(self, made: Arc<Cached>) {
        let _ = self.done.send(Some(made));
    }
}

impl Drop for Maker {
    fn drop(&mut self) {
        self.cache
            .pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.key);
    }
}

#[derive(Debug)]
struct Entry {
    cached: Arc<Cached>,
    tags: Tags,
    size: usize,
}

/// Versions whose stale tags are remembered, to check a response made under an older one.
const RECENT: usize = 256;

#[derive(Debug)]
struct Inner {
    /// The last version whose changes were applied (-1: none known yet).
    version: i64,
    entries: HashMap<String, Entry>,
    /// Keys by the tags their responses depend on.
    by_tag: HashMap<String, HashSet<String>>,
    /// Keys in the order they were kept (some no longer kept: skipped on eviction).
    order: VecDeque<String>,
    bytes: usize,
    /// What the last versions made stale (`None`: everything).
    recent: VecDeque<(i64, Option<Tags>)>,
}

impl Default for Inner {
    fn default() -> Self {
        Self {
            version: -1,
            entries: HashMap::new(),
            by_tag: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            recent: VecDeque::new(),
        }
    }
}

impl Inner {
    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.entries.remove(key) {
            self.bytes -= entry.size;
            for tag in entry.tags.iter() {
                if let Some(keys) = self.by_tag.get_mut(tag) {
                    keys.remove(key);
                    if keys.is_empty() {
                        self.by_tag.remove(tag);
                    }
                }
            }
        }
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.by_tag.clear();
        self.order.clear();
        self.bytes = 0;
    }

    /// Drops the responses `stale` touches.
    fn apply(&mut self, stale: &Tags) {
        if stale.all() {
            self.clear();
            return;
        }
        let mut keys: HashSet<String> = HashSet::new();
        for tag in stale
            .iter()
            .chain(if stale.0.is_empty() { None } else { Some("*") })
        {
            if let Some(found) = self.by_tag.get(tag) {
                keys.extend(found.iter().cloned());
            }
        }
        for key in keys {
            self.remove(&key);
        }
    }

    fn remember(&mut self, version: i64, stale: Option<Tags>) {
        self.recent.push_back((version, stale));
        while self.recent.len() > RECENT {
            self.recent.pop_front();
        }
    }

    /// Whether a response made under `made_under`, depending on `tags`, is still current.
    fn current(&self, made_under: i64, tags: &Tags) -> bool {
        if made_under == self.version {
            return true;
        }
        if made_under > self.version || made_under < 0 {
            return false;
        }
        let since: Vec<&(i64, Option<Tags>)> = self
            .recent
            .iter()
            .filter(|(v, _)| *v > made_under)
            .collect();
        since.len() as i64 == self.version - made_under
            && since
                .iter()
                .all(|(_, stale)| stale.as_ref().is_some_and(|s| !tags.touched_by(s)))
    }
}

/// Hits and misses since start, for metrics.
#[derive(Debug, Default)]
pub struct CacheStats {
    pub hits: std::sync::atomic::AtomicU64,
    pub misses: std::sync::atomic::AtomicU64,
}

impl ResponseCache {
    /// A cache of at most `max_bytes` (0: caches nothing).
    pub fn new(max_bytes: usize) -> Self {
        Self {
            max_bytes,
            inner: Mutex::new(Inner::default()),
            pending: Mutex::new(HashMap::new()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The last version whose changes the cache applied (-1: none yet).
    pub fn version(&self) -> i64 {
        self.lock().version
    }

    /// Moves from version `from` to `to`, dropping what `changes` (each version in
    /// `(from, to]` and what it made stale) touch, or everything without them.
    pub fn advance(&self, from: i64, to: i64, changes: Option<Vec<(i64, Tags)>>) {
        let mut inner = self.lock();
        if to <= inner.version {
            return;
        }
        match changes {
            Some(changes) if from <= inner.version => {
                for (version, stale) in changes {
                    if version > inner.version {
                        inner.apply(&stale);
                        inner.remember(version, Some(stale));
                    }
                }
            }
            _ => {
                inner.clear();
                inner.recent.clear();
                inner.remember(to, None);
            }
        }
        inner.version = to;
    }

    /// The response cached for `key`.
    pub fn get(&self, key: &str) -> Option<Arc<Cached>> {
        self.lock().entries.get(key).map(|e| e.cached.clone())
    }

    /// Keeps a response made under `version` that depends on `tags` (unless a later version
    /// known here touched it).
    pub fn put(&self, key: String, version: i64, tags: Tags, cached: Cached) {
        self.put_shared(key, version, tags, Arc::new(cached));
    }

    /// [`put`](Self::put) of a response also handed to waiting requests.
    pub fn put_shared(&self, key: String, version: i64, tags: Tags, cached: Arc<Cached>) {
        let size = cached.size(&key);
        if size > self.max_bytes / 4 {
            return;
        }
        let mut inner = self.lock();
        if !inner.current(version, &tags) || inner.entries.contains_key(&key) {
            return;
        }
        while inner.bytes + size > self.max_bytes {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            inner.remove(&oldest);
        }
        if inner.order.len() > 2 * inner.entries.len() + 1024 {
            let Inner { order, entries, .. } = &mut *inner;
            order.retain(|k| entries.contains_key(k));
        }
        inner.bytes += size;
        inner.order.push_back(key.clone());
        for tag in tags.iter() {
            inner
                .by_tag
                .entry(tag.to_owned())
                .or_default()
                .insert(key.clone());
        }
        inner.entries.insert(key, Entry { cached, tags, size });
    }

    /// Whether this request makes the response for `key`, or waits for another making it.
    pub fn turn(self: &Arc<Self>, key: &str, version: i64) -> Turn {
        let pending_key = format!("{version}#{key}");
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(done) = pending.get(&pending_key) {
            return Turn::Wait(done.clone());
        }
        let (done, waiting) = tokio::sync::watch::channel(None);
        pending.insert(pending_key.clone(), waiting);
        Turn::Make(Maker {
            cache: self.clone(),
            key: pending_key,
            done,
        })
    }

    /// Bytes held now.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }
}

/// The cache key of a request: the origin its links are written for (see
/// [`crate::origin::Origin::base`]; one behind a trusted proxy may serve several hosts), its
/// path, its query parameters in a canonical order (empty ones dropped, as the query parser
/// does), and the representation asked for. Parameters are kept
/// as sent, so `%41` and `A` make two keys for one response: a miss, never a wrong answer.
pub fn key(origin: &str, path: &str, query: &str, accept: Option<&str>) -> String {
    let variant = if crate::extract::prefers_json_ld(accept) {
        "ld"
    } else {
        ""
    };
    let mut params: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    params.sort_unstable();
    let mut key = String::with_capacity(origin.len() + path.len() + query.len() + 4);
    key.push_str(origin);
    key.push_str(path);
    key.push('?');
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            key.push('&');
        }
        key.push_str(p);
    }
    key.push('#');
    key.push_str(variant);
    // A response can depend on the day (an event's status read from its dates, `upcoming`):
    // a new day makes new responses.
    key.push('@');
    key.push_str(&chrono::Utc::now().date_naive().to_string());
    key
}

/// What a response depends on, from the route that made it and what it shows: an event list
/// holds events (and shows each by its slug); an event's page is its own, shows the records
/// whose slugs it holds, and embeds other events (co-located); a search holds records of every
/// kind. Any other response, a JSON-LD one, or a list filtered by its events' speakers or
/// sponsors, depends on everything.
pub fn response_tags(route: Option<&str>, path: &str, query: &str, ld: bool, body: &[u8]) -> Tags {
    let mut tags: Vec<String> = match route {
        _ if ld => return Tags::everything(),
        Some("/api/v1/events")
            if !query
                .split('&')
                .any(|p| p.starts_with("speaker=") || p.starts_with("sponsor=")) =>
        {
            vec!["events".to_owned()]
        }
        Some("/api/v1/events/{slug}") => {
            let slug = path.rsplit('/').next().unwrap_or_default();
            vec![
                "events".to_owned(),
                format!("page:{slug}"),
                format!("slug:{slug}"),
            ]
        }
        Some("/api/v1/search") => ["events", "people", "organizations", "posts"]
            .map(str::to_owned)
            .to_vec(),
        _ => return Tags::everything(),
    };
    tags.extend(shown_slugs(body).map(|s| format!("slug:{s}")));
    Tags::new(tags)
}

/// The value of every `"slug"` member of a JSON body (slugs need no escapes).
fn shown_slugs(body: &[u8]) -> impl Iterator<Item = &str> {
    const MEMBER: &[u8] = b"\"slug\":\"";
    let mut rest = body;
    std::iter::from_fn(move || {
        let at = rest.windows(MEMBER.len()).position(|w| w == MEMBER)?;
        let value = &rest[at + MEMBER.len()..];
        let end = value.iter().position(|b| *b == b'"')?;
        rest = &value[end..];
        std::str::from_utf8(&value[..end]).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cached(body: &'static str) -> Cached {
        Cached {
            body: Bytes::from_static(body.as_bytes()),
            headers: Vec::new(),
            route: None,
        }
    }

    #[test]
    fn keys_ignore_parameter_order_but_not_values() {
        assert_eq!(
            key("", "/e", "b=2&a=1", None),
            key("", "/e", "a=1&b=2", None)
        );
        assert_eq!(
            key("", "/e", "b=2&&a=1&", None),
            key("", "/e", "a=1&b=2", None)
        );
        assert_ne!(
            key("", "/e", "a=1&b=2", None),
            key("", "/e", "a=1%26b%3D2", None)
        );
        assert_ne!(key("", "/e", "a=1", None), key("", "/e", "a=2", None));
        assert_ne!(
            key("", "/e", "", None),
            key("https://a.example", "/e", "", None)
        );
        assert_ne!(
            key("", "/e", "", Some("application/ld+json")),
            key("", "/e", "", Some("application/json"))
        );
    }

    fn tags(t: &[&str]) -> Tags {
        Tags::new(t.iter().map(|t| (*t).to_owned()))
    }

    #[test]
    fn a_version_without_its_changes_empties_the_cache() {
        let cache = ResponseCache::new(1 << 20);
        cache.advance(-1, 1, None);
        cache.put("a".into(), 1, tags(&["events"]), cached("one"));
        assert_eq!(&cache.get("a").unwrap().body[..], b"one");
        cache.advance(1, 2, None);
        assert!(cache.get("a").is_none());
        // A response made under the old version is not kept once a newer one is known.
        cache.put("a".into(), 1, tags(&["events"]), cached("stale"));
        assert!(cache.get("a").is_none());
        assert_eq!(cache.bytes(), 0);
    }

    #[test]
    fn a_write_drops_only_the_responses_it_touches() {
        let cache = ResponseCache::new(1 << 20);
        cache.advance(-1, 1, None);
        cache.put(
            "list".into(),
            1,
            tags(&["events", "slug:a", "slug:b"]),
            cached("l"),
        );
        cache.put(
            "page-a".into(),
            1,
            tags(&["events", "page:a", "slug:a"]),
            cached("a"),
        );
        cache.put(
            "page-c".into(),
            1,
            tags(&["events", "page:c", "slug:c"]),
            cached("c"),
        );
        cache.put("feed".into(), 1, Tags::everything(), cached("f"));
        // Only a's page shows its attendees; every write touches what depends on everything.
        cache.advance(1, 2, Some(vec![(2, tags(&["page:a"]))]));
        assert!(cache.get("page-a").is_none());
        assert!(cache.get("feed").is_none());
        assert!(cache.get("list").is_some() && cache.get("page-c").is_some());
        // A field every response showing b shows.
        cache.advance(2, 3, Some(vec![(3, tags(&["slug:b"]))]));
        assert!(cache.get("list").is_none());
        assert!(cache.get("page-c").is_some());
        // A write that moves lists.
        cache.advance(3, 4, Some(vec![(4, tags(&["events", "slug:d"]))]));
        assert!(cache.get("page-c").is_none());
        assert_eq!(cache.bytes(), 0);
        // A version whose write changed nothing drops nothing (but what depends on everything).
        cache.put("page-c".into(), 4, tags(&["events", "page:c"]), cached("c"));
        cache.advance(4, 5, Some(vec![(5, tags(&[]))]));
        assert!(cache.get("page-c").is_some());
    }

    #[test]
    fn a_response_made_before_a_write_is_kept_only_if_the_write_missed_it() {
        let cache = ResponseCache::new(1 << 20);
        cache.advance(-1, 1, None);
        cache.advance(
            1,
            3,
            Some(vec![(2, tags(&["page:a"])), (3, tags(&["slug:b"]))]),
        );
        cache.put("page-c".into(), 1, tags(&["page:c", "slug:c"]), cached("c"));
        assert!(cache.get("page-c").is_some(), "neither write touched it");
        cache.put("list".into(), 1, tags(&["events", "slug:b"]), cached("l"));
        assert!(cache.get("list").is_none(), "version 3 touched it");
        cache.put("x".into(), 0, tags(&["page:x"]), cached("x"));
        assert!(
            cache.get("x").is_none(),
            "made before anything this cache remembers"
        );
        cache.put("y".into(), 4, tags(&["page:y"]), cached("y"));
        assert!(
            cache.get("y").is_none(),
            "made under a version not applied yet"
        );
    }

    #[test]
    fn responses_depend_on_their_route_and_the_slugs_they_show() {
        let body = br#"{"data":[{"slug":"kcd-a","series":{"slug":"kcd"}},{"slug":"kcd-b"}]}"#;
        assert_eq!(
            response_tags(
                Some("/api/v1/events"),
                "/api/v1/events",
                "kind=kcd",
                false,
                body
            ),
            tags(&["events", "slug:kcd", "slug:kcd-a", "slug:kcd-b"])
        );
        assert_eq!(
            response_tags(
                Some("/api/v1/events/{slug}"),
                "/api/v1/events/kcd-a",
                "",
                false,
                b"{}"
            ),
            tags(&["events", "page:kcd-a", "slug:kcd-a"])
        );
        assert!(
            response_tags(
                Some("/api/v1/events"),
                "/api/v1/events",
                "speaker=x",
                false,
                body
            )
            .all()
        );
        assert!(response_tags(Some("/api/v1/events"), "/api/v1/events", "", true, body).all());
        assert!(response_tags(Some("/api/v1/changes"), "/api/v1/changes", "", false, body).all());
        assert!(response_tags(None, "/nowhere", "", false, body).all());
    }

    #[test]
    fn one_request_makes_a_missing_response_and_the_others_wait() {
        let cache = std::sync::Arc::new(ResponseCache::new(1 << 20));
        let Turn::Make(maker) = cache.turn("k", 1) else {
            panic!("the first request makes it")
        };
        let Turn::Wait(done) = cache.turn("k", 1) else {
            panic!("the second waits")
        };
        assert!(
            matches!(cache.turn("k", 2), Turn::Make(_)),
            "another version is its own"
        );
        assert!(done.borrow().is_none());
        let made = std::sync::Arc::new(cached("made"));
        cache.put_shared("k".into(), 1, Tags::default(), made.clone());
        maker.finish(made);
        assert_eq!(
            &done.borrow().as_ref().unwrap().body[..],
            b"made",
            "the waiters get it"
        );
        assert!(
            matches!(cache.turn("k", 1), Turn::Make(_)),
            "nothing pending any more"
        );
    }

    #[test]
    fn the_oldest_entries_go_beyond_the_budget() {
        // Each entry counts 76 bytes: 5 fit in 400.
        let cache = ResponseCache::new(400);
        cache.advance(-1, 1, None);
        for i in 0..10 {
            cache.put(format!("k{i}"), 1, Tags::default(), cached("0123456789"));
        }
        assert!(cache.bytes() <= 400);
        assert!(cache.get("k0").is_none());
        assert!(cache.get("k9").is_some());
    }
}
