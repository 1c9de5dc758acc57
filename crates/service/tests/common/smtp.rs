//! A local SMTP sink for the e-mail tests: a TCP listener on 127.0.0.1 that speaks enough
//! SMTP (RFC 5321: EHLO with 8BITMIME and AUTH PLAIN, MAIL, RCPT, DATA with dot
//! unstuffing, RSET, NOOP, QUIT) to take real messages from lettre, and keeps each one —
//! the envelope, the sign-in and the message decoded (RFC 2047 subject, base64 or
//! quoted-printable body) — for the test to read. `fail` makes it refuse every MAIL FROM
//! with a temporary error (451), as a broken or busy server does.

#![allow(dead_code)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as the sink received it.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub from: String,
    pub to: Vec<String>,
    /// `user:password` of AUTH PLAIN, if the client signed in.
    pub auth: Option<String>,
    pub raw: String,
    pub subject: String,
    pub body: String,
    pub to_header: String,
}

#[derive(Clone)]
pub struct Sink {
    pub port: u16,
    pub delivered: Arc<Mutex<Vec<Delivered>>>,
    fail: Arc<AtomicBool>,
}

impl Sink {
    pub async fn start() -> Sink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = Sink {
            port,
            delivered: Arc::default(),
            fail: Arc::default(),
        };
        let s = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move {
                    let _ = s.session(stream).await;
                });
            }
        });
        sink
    }

    /// Refuse (451) every message from now on, or accept again.
    pub fn fail(&self, on: bool) {
        self.fail.store(on, Ordering::SeqCst);
    }

    pub fn messages(&self) -> Vec<Delivered> {
        self.delivered.lock().unwrap().clone()
    }

    async fn session(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        let (r, mut w) = stream.into_split();
        let mut r = BufReader::new(r);
        w.write_all(b"220 sink.test ESMTP\r\n").await?;
        let (mut from, mut to, mut auth) = (String::new(), Vec::new(), None);
        let mut line = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let cmd = line.trim_end().to_string();
            let upper = cmd.to_ascii_uppercase();
            if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                w.write_all(b"250-sink.test\r\n250-8BITMIME\r\n250 AUTH PLAIN\r\n")
                    .await?;
            } else if upper.starts_with("AUTH PLAIN") {
                let b64 = cmd[10..].trim();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .unwrap_or_default();
                let parts: Vec<String> = bytes
                    .split(|b| *b == 0)
                    .map(|p| String::from_utf8_lossy(p).into_owned())
                    .collect();
                auth = Some(format!(
                    "{}:{}",
                    parts.get(1).cloned().unwrap_or_default(),
                    parts.get(2).cloned().unwrap_or_default()
                ));
                w.write_all(b"235 2.7.0 Authentication successful\r\n")
                    .await?;
            } else if upper.starts_with("MAIL FROM:") {
                if self.fail.load(Ordering::SeqCst) {
                    w.write_all(b"451 4.3.0 Mailbox temporarily unavailable\r\n")
                        .await?;
                    continue;
                }
                from = address(&cmd[10..]);
                to.clear();
                w.write_all(b"250 2.1.0 Ok\r\n").await?;
            } else if upper.starts_with("RCPT TO:") {
                to.push(address(&cmd[8..]));
                w.write_all(b"250 2.1.5 Ok\r\n").await?;
            } else if upper == "DATA" {
                w.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut raw = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    let l = line.trim_end_matches(['\r', '\n']);
                    if l == "." {
                        break;
                    }
                    raw.push_str(l.strip_prefix('.').unwrap_or(l));
                    raw.push('\n');
                }
                let (subject, body, to_header) = decode(&raw);
                self.delivered.lock().unwrap().push(Delivered {
                    from: from.clone(),
                    to: to.clone(),
                    auth: auth.clone(),
                    raw,
                    subject,
                    body,
                    to_header,
                });
                w.write_all(b"250 2.0.0 Ok: queued\r\n").await?;
            } else if upper == "QUIT" {
                w.write_all(b"221 2.0.0 Bye\r\n").await?;
                return Ok(());
            } else if upper == "RSET" || upper == "NOOP" {
                w.write_all(b"250 2.0.0 Ok\r\n").await?;
            } else {
                w.write_all(b"502 5.5.2 Command not recognized\r\n").await?;
            }
        }
    }
}

/// `<a@b>` (with parameters after it) → `a@b`.
fn address(s: &str) -> String {
    let s = s.trim();
    s.split_once('<')
        .and_then(|(_, r)| r.split_once('>'))
        .map_or(s, |(a, _)| a)
        .to_string()
}

/// The subject, the body and the To header of a message, decoded.
fn decode(raw: &str) -> (String, String, String) {
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw, ""));
    // Unfold the headers.
    let mut headers: Vec<String> = Vec::new();
    for l in head.lines() {
        if l.starts_with([' ', '\t']) {
            if let Some(last) = headers.last_mut() {
                last.push_str(l);
            }
        } else {
            headers.push(l.to_string());
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find_map(|h| {
                h.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_default()
    };
    let encoding = header("Content-Transfer-Encoding").to_ascii_lowercase();
    let body = match encoding.as_str() {
        "base64" => {
            let compact: String = body.split_whitespace().collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .unwrap_or_default(),
            )
            .unwrap_or_default()
        }
        "quoted-printable" => String::from_utf8(
            quoted_printable::decode(
                body.replace('\n', "\r\n"),
                quoted_printable::ParseMode::Robust,
            )
            .unwrap_or_default(),
        )
        .unwrap_or_default(),
        _ => body.to_string(),
    };
    (
        words(&header("Subject")),
        body.replace("\r\n", "\n"),
        words(&header("To")),
    )
}

/// RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`) decoded; the whitespace
/// between two encoded words dropped.
fn words(s: &str) -> String {
    let mut out = String::new();
    for part in s.split_whitespace() {
        let decoded = part
            .strip_prefix("=?")
            .and_then(|p| p.strip_suffix("?="))
            .and_then(|p| {
                let mut it = p.splitn(3, '?');
                let (_charset, enc, text) = (it.next()?, it.next()?, it.next()?);
                let bytes = if enc.eq_ignore_ascii_case("b") {
                    base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .ok()?
                } else {
                    quoted_printable::decode(
                        text.replace('_', " "),
                        quoted_printable::ParseMode::Robust,
                    )
                    .ok()?
                };
                String::from_utf8(bytes).ok()
            });
        match decoded {
            Some(d) => out.push_str(&d),
            None => {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(part);
            }
        }
    }
    out
}
