//! Where the directory is reached from outside: the base of the absolute URLs it writes (the
//! Atom feed's links, JSON-LD ids).
//!
//! Client headers never choose it. With a configured public URL every link starts with it.
//! Without one, `Forwarded` / `X-Forwarded-Proto` / `X-Forwarded-Host` (and `Host`) are read
//! only from a configured trusted proxy, and only when they name an `http(s)` scheme and a
//! plain host; otherwise links are root-relative (`/api/v1/…`), resolved by the reader
//! against the address it used.

use std::borrow::Cow;
use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::IpNet;

/// The public base URL and the proxies whose forwarding headers are believed.
#[derive(Clone, Debug, Default)]
pub struct Origin {
    public: Option<String>,
    trusted: Vec<IpNet>,
}

impl Origin {
    /// `public` must have passed [`public_url`].
    pub fn new(public: Option<String>, trusted: Vec<IpNet>) -> Self {
        Self { public, trusted }
    }

    /// The base to put before `/api/v1/…`: the public URL, what a trusted proxy forwarded,
    /// or `""` (root-relative links).
    pub fn base(&self, req: &HttpRequest) -> Cow<'_, str> {
        // Asked on every cached read (the cache key holds it): no allocation unless a trusted
        // proxy names the origin.
        if let Some(public) = &self.public {
            return Cow::Borrowed(public);
        }
        let trusted = req.peer_addr().is_some_and(|peer| self.trusts(peer.ip()));
        if !trusted {
            return Cow::Borrowed("");
        }
        let info = req.connection_info();
        let scheme = info.scheme();
        let host = info.host();
        if matches!(scheme, "http" | "https") && plain_host(host) {
            Cow::Owned(format!("{scheme}://{}", host.to_ascii_lowercase()))
        } else {
            Cow::Borrowed("")
        }
    }

    fn trusts(&self, peer: IpAddr) -> bool {
        let peer = match peer {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(peer, IpAddr::V4),
            v4 => v4,
        };
        self.trusted.iter().any(|net| net.contains(&peer))
    }
}

/// A host name or address with an optional port: letters, digits, `.`, `-`, `:` and the
/// brackets of an IPv6 literal; nothing that could end an attribute, a line or a URL's
/// authority.
fn plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
        && url::Url::parse(&format!("http://{host}/")).is_ok_and(|u| u.path() == "/")
}

/// Checks a public base URL (`--public-url`): absolute `http(s)`, no user, query or fragment;
/// returned without a trailing `/`.
pub fn public_url(text: &str) -> Result<String, String> {
    let url = url::Url::parse(text).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("must be an absolute http(s) URL".to_owned());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not hold a user name or password".to_owned());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must not have a query or fragment".to_owned());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Parses one trusted proxy: a CIDR (`10.0.0.0/8`) or a single address.
pub fn proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{text}` is neither an address nor a CIDR block"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_checked_and_trimmed() {
        for (text, expected) in [
            ("https://events.example/", Some("https://events.example")),
            ("https://example.org/dir/", Some("https://example.org/dir")),
            ("javascript://x", None),
            ("https://a@b.example", None),
            ("https://b.example/?q", None),
            ("/relative", None),
        ] {
            assert_eq!(public_url(text).ok().as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn only_plain_hosts_pass() {
        let plain = ["events.example", "events.example:8443", "[::1]:8080"];
        let not = ["a.example/path", "a.example\"><x", "user@a.example", ""];
        assert!(plain.iter().all(|h| plain_host(h)));
        assert!(!not.iter().any(|h| plain_host(h)));
    }

    #[test]
    fn proxies_are_blocks_or_addresses() {
        assert_eq!(proxy("10.0.0.0/8").unwrap().to_string(), "10.0.0.0/8");
        assert_eq!(proxy("127.0.0.1").unwrap().to_string(), "127.0.0.1/32");
        assert!(proxy("ten").is_err());
    }
}
