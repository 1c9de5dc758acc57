//! Tokens, cookies and CSRF protection.
//!
//! * Every browser gets a random *visitor id* in the `gk_vid` cookie (HttpOnly,
//!   SameSite=Lax) on its first request. Uploads made without logging in belong to it.
//! * The CSRF token of a page is `HMAC-SHA256(server secret, visitor id | session token)`,
//!   put in a hidden field of every form (and in a `<meta>` for scripts). A POST must send
//!   it back; a cross-site page can neither read the cookie nor compute the HMAC. The token
//!   changes when the user logs in or out, so a form from before the change is refused.
//! * JSON API calls authenticated by the session cookie must send the same token in the
//!   `X-CSRF-Token` header; calls with a bearer token need none (a browser never adds a
//!   bearer token by itself).
//!
//! Not here: users, passwords and sessions themselves (the store crate keeps them).

use std::fmt::Write as _;

use axum::http::{HeaderMap, header};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The visitor cookie.
pub const VISITOR_COOKIE: &str = "gk_vid";
/// The session cookie (set at login).
pub const SESSION_COOKIE: &str = "gk_session";
/// The form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
/// The header that carries the CSRF token on JSON calls made with the session cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// `n` random bytes as lowercase hex (`2n` characters).
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    // The operating system's generator does not fail on the platforms we run on; if it
    // ever does, refusing to hand out a predictable token is the only safe answer.
    getrandom::fill(&mut bytes).expect("operating system random generator");
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A syntactically valid visitor id or session token: 16–128 hex digits.
pub fn is_token(s: &str) -> bool {
    (16..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The server's secret for CSRF tokens.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// A fresh random secret (tokens of earlier runs become invalid).
    pub fn random() -> Self {
        let mut bytes = vec![0u8; 32];
        getrandom::fill(&mut bytes).expect("operating system random generator");
        Secret(bytes)
    }

    /// A secret from configuration (`GONGKAI_SECRET`), so several processes agree.
    pub fn from_text(text: &str) -> Self {
        Secret(text.as_bytes().to_vec())
    }

    /// The CSRF token for a visitor and (when logged in) a session.
    pub fn csrf_token(&self, visitor: &str, session: Option<&str>) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(b"gongkai-csrf\0");
        mac.update(visitor.as_bytes());
        mac.update(b"\0");
        mac.update(session.unwrap_or("").as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// An HMAC (hex) of `parts` for `purpose` (the public forms' challenges).
    pub fn mac(&self, purpose: &str, parts: &[&str]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        for p in parts {
            mac.update(b"\0");
            mac.update(p.as_bytes());
        }
        hex(&mac.finalize().into_bytes())
    }

    /// True when `token` is the CSRF token of this visitor and session (constant time).
    pub fn verify_csrf(&self, visitor: &str, session: Option<&str>, token: &str) -> bool {
        same_secret(&self.csrf_token(visitor, session), token)
    }
}

/// Whether two secret texts (tokens, MACs) are equal, in time that does not depend on
/// where they differ.
pub fn same_secret(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"'))
}

/// The bearer token of an `Authorization: Bearer …` header.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`; `max_age` in seconds (`Some(0)`
/// deletes the cookie, `None` makes it last for the browser session).
pub fn set_cookie(name: &str, value: &str, max_age: Option<u64>, secure: bool) -> String {
    let mut s = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        let _ = write!(s, "; Max-Age={age}");
    }
    if secure {
        s.push_str("; Secure");
    }
    s
}

/// `next` if it is a safe place to return to after the login: a local path of this site
/// (`/ledger/a/2025-0001?x=1`), never another site (`//evil.example`, `/\\evil.example`,
/// `https://…`), no control characters, not the login or logout page itself. `None`
/// otherwise (the login then goes to the ledger's home).
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 2000
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace())
        && !next.contains("/../")
        && !next.ends_with("/..")
        && next != "/login"
        && !next.starts_with("/login?")
        && !next.starts_with("/logout");
    ok.then_some(next)
}

/// The HSTS header sent on every answer of a secure request: browsers use HTTPS only for a
/// year (no `includeSubDomains`: the office's other sites are not ours to decide).
pub const HSTS: &str = "max-age=31536000";

/// How a request reached the server, from the TCP peer and, when the peer is a trusted
/// proxy, its `X-Forwarded-For` / `X-Forwarded-Proto` headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reached {
    /// The client's address (`-` when unknown).
    pub client: String,
    /// The request came over TLS (or the server is configured as HTTPS-only).
    pub secure: bool,
}

/// Where a request came from. `peer`: the TCP peer (none in tests that drive the router
/// directly). Forwarded headers count only when the peer is one of `trusted`: then the
/// client is the right-most address of `X-Forwarded-For` that is not itself a trusted proxy
/// (a client can put anything at the left of the list), and `X-Forwarded-Proto: https`
/// (the last value, the one the trusted proxy set) makes the request secure. `force_secure`:
/// `--secure-cookies`.
pub fn reached(
    headers: &HeaderMap,
    peer: Option<std::net::IpAddr>,
    trusted: &[std::net::IpAddr],
    force_secure: bool,
) -> Reached {
    let peer_s = peer.map_or_else(|| "-".to_string(), |p| p.to_string());
    let Some(peer) = peer.filter(|p| trusted.contains(p)) else {
        return Reached {
            client: peer_s,
            secure: force_secure,
        };
    };
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    let client = forwarded
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .or(forwarded.first())
        .copied()
        .unwrap_or(peer);
    let https = headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    Reached {
        client: client.to_string(),
        secure: force_secure || https,
    }
}

/// The Content-Security-Policy of every page: nothing but this server's own files, no
/// inline script or style, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn csrf_tokens_are_bound_to_visitor_and_session() {
        let s = Secret::from_text("k");
        let t = s.csrf_token("aa", None);
        assert!(s.verify_csrf("aa", None, &t));
        assert!(!s.verify_csrf("ab", None, &t));
        assert!(!s.verify_csrf("aa", Some("sess"), &t));
        assert!(!s.verify_csrf("aa", None, ""));
        assert!(!Secret::from_text("other").verify_csrf("aa", None, &t));
        assert_eq!(t.len(), 64);
    }

    #[test]
    fn cookies_and_bearer_are_parsed() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; gk_vid=abc; b=2"),
        );
        assert_eq!(cookie(&h, "gk_vid"), Some("abc"));
        assert_eq!(cookie(&h, "x"), None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer  tok "),
        );
        assert_eq!(bearer(&h), Some("tok"));
    }

    #[test]
    fn only_local_paths_are_returned_to() {
        for ok in [
            "/ledger",
            "/ledger/a/2025-0001?msg=x",
            "/year-end?year=2025",
        ] {
            assert_eq!(safe_next(ok), Some(ok), "{ok}");
        }
        for bad in [
            "",
            "ledger",
            "//evil.example/x",
            "/\\evil.example",
            "https://evil.example/",
            "/ledger\r\nSet-Cookie: x=1",
            "/ledger%0d%0a x",
            "/login",
            "/login?next=/ledger",
            "/logout",
            "/a/../../etc",
            "\t/ledger",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies() {
        let proxy: std::net::IpAddr = "10.0.0.1".parse().unwrap();
        let other: std::net::IpAddr = "203.0.113.9".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.2.3.4, 198.51.100.7"),
        );
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let r = reached(&h, Some(proxy), &[proxy], false);
        assert_eq!(r.client, "198.51.100.7");
        assert!(r.secure);
        let r = reached(&h, Some(other), &[proxy], false);
        assert_eq!(r.client, "203.0.113.9");
        assert!(!r.secure);
        assert!(reached(&h, Some(other), &[proxy], true).secure);
        assert_eq!(reached(&h, None, &[proxy], false).client, "-");
        h.insert("x-forwarded-proto", HeaderValue::from_static("http"));
        assert!(!reached(&h, Some(proxy), &[proxy], false).secure);
    }

    #[test]
    fn random_tokens_look_like_tokens() {
        let a = random_hex(16);
        assert!(is_token(&a));
        assert_ne!(a, random_hex(16));
        assert!(!is_token("xyz"));
        assert!(!is_token("12345"));
    }
}
