//! The response cache of public reads, keyed by the normalized request and invalidated by the
//! data version kept in the database.
//!
//! Every transaction that changes data increments the one-row `data_version` first (see
//! `services::writes::begin`). A cached response is served only while the version it was made
//! under is still current. This process reads the version from the database at most once per
//! `max_staleness` (0: on every request), and again right after each of its own writes — so
//! its own writes are visible on the next read, and writes through another replica or the
//! importer after at most `max_staleness`.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::web::Bytes;
use entity::data_version;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait};

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
    /// else a fresh read.
    pub async fn current(&self, db: &impl ConnectionTrait) -> Result<i64, DbErr> {
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

/// A cached `200` response: its body, validator and headers.
#[derive(Debug)]
pub struct Cached {
    pub body: Bytes,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The route template that made it, for metrics (a hit skips routing).
    pub route: Option<std::sync::Arc<str>>,
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

/// Responses of one data version, evicted oldest first beyond `max_bytes`.
#[derive(Debug)]
pub struct ResponseCache {
    max_bytes: usize,
    inner: Mutex<Inner>,
    /// Responses being made now, by version and key: the same request arriving meanwhile
    /// waits for that one instead of making it again (after a write, every reader misses).
    pending: Mutex<HashMap<String, Waiting>>,
}

/// What waiting requests receive: the response made for them (`None` until it is made).
pub type Waiting = tokio::sync::watch::Receiver<Option<std::sync::Arc<Cached>>>;

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
    cache: std::sync::Arc<ResponseCache>,
    key: String,
    done: tokio::sync::watch::Sender<Option<std::sync::Arc<Cached>>>,
}

impl Maker {
    /// Hands the response to the requests waiting for it.
    pub fn finish(self, made: std::sync::Arc<Cached>) {
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

#[derive(Debug, Default)]
struct Inner {
    version: i64,
    entries: HashMap<String, std::sync::Arc<Cached>>,
    order: VecDeque<String>,
    bytes: usize,
}

impl Inner {
    /// Moves to `version`, dropping everything made under an older one.
    fn advance(&mut self, version: i64) {
        if version > self.version {
            self.entries.clear();
            self.order.clear();
            self.bytes = 0;
            self.version = version;
        }
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

    /// The response cached for `key` under `version`.
    pub fn get(&self, key: &str, version: i64) -> Option<std::sync::Arc<Cached>> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.advance(version);
        if inner.version != version {
            return None;
        }
        inner.entries.get(key).cloned()
    }

    /// Keeps a response made under `version` (unless a newer version is already known).
    pub fn put(&self, key: String, version: i64, cached: Cached) {
        self.put_shared(key, version, std::sync::Arc::new(cached));
    }

    /// [`put`](Self::put) of a response also handed to waiting requests.
    pub fn put_shared(&self, key: String, version: i64, cached: std::sync::Arc<Cached>) {
        let size = cached.size(&key);
        if size > self.max_bytes / 4 {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.advance(version);
        if inner.version != version || inner.entries.contains_key(&key) {
            return;
        }
        while inner.bytes + size > self.max_bytes {
            let Some(oldest) = inner.order.pop_front() else {
                break;
            };
            if let Some(old) = inner.entries.remove(&oldest) {
                inner.bytes -= old.size(&oldest);
            }
        }
        inner.bytes += size;
        inner.order.push_back(key.clone());
        inner.entries.insert(key, cached);
    }

    /// Whether this request makes the response for `key`, or waits for another making it.
    pub fn turn(self: &std::sync::Arc<Self>, key: &str, version: i64) -> Turn {
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
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).bytes
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

    #[test]
    fn a_new_version_empties_the_cache() {
        let cache = ResponseCache::new(1 << 20);
        cache.put("a".into(), 1, cached("one"));
        assert_eq!(&cache.get("a", 1).unwrap().body[..], b"one");
        assert!(cache.get("a", 2).is_none());
        // A response made under the old version is not kept once a newer one is known.
        cache.put("a".into(), 1, cached("stale"));
        assert!(cache.get("a", 2).is_none());
        assert_eq!(cache.bytes(), 0);
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
        cache.put_shared("k".into(), 1, made.clone());
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
        for i in 0..10 {
            cache.put(format!("k{i}"), 1, cached("0123456789"));
        }
        assert!(cache.bytes() <= 400);
        assert!(cache.get("k0", 1).is_none());
        assert!(cache.get("k9", 1).is_some());
    }
}
