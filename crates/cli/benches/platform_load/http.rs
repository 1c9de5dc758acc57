//! Just enough HTTP/1.1 for the load: one keep-alive connection per simulated person, a
//! cookie jar, form posts, content-length and chunked bodies.

use std::collections::BTreeMap;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Resp {
    pub status: u16,
    /// Lower-cased head.
    pub head: String,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn location(&self) -> Option<String> {
        self.head
            .lines()
            .find_map(|l| l.strip_prefix("location:"))
            .map(|v| v.trim().to_string())
    }

    /// The CSRF token of the first form on the page.
    pub fn csrf(&self) -> Option<String> {
        let html = self.text();
        html.split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(str::to_string)
    }
}

/// A browser of sorts: one connection, its cookies.
pub struct Client {
    addr: String,
    stream: Option<TcpStream>,
    cookies: BTreeMap<String, String>,
}

pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        enc(&mut out, k);
        out.push('=');
        enc(&mut out, v);
    }
    out
}

fn enc(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

impl Client {
    pub fn new(addr: &str) -> Client {
        Client {
            addr: addr.to_string(),
            stream: None,
            cookies: BTreeMap::new(),
        }
    }

    pub fn cookies_clone(&self) -> BTreeMap<String, String> {
        self.cookies.clone()
    }

    pub fn set_cookies(&mut self, jar: BTreeMap<String, String>) {
        self.cookies = jar;
    }

    pub async fn get(&mut self, path: &str) -> std::io::Result<Resp> {
        self.call("GET", path, None).await
    }

    pub async fn post_form(&mut self, path: &str, pairs: &[(&str, &str)]) -> std::io::Result<Resp> {
        let body = form_encode(pairs);
        self.call(
            "POST",
            path,
            Some(("application/x-www-form-urlencoded", body)),
        )
        .await
    }

    async fn call(
        &mut self,
        method: &str,
        path: &str,
        body: Option<(&str, String)>,
    ) -> std::io::Result<Resp> {
        // One retry on a connection the server closed while idle (never for a POST that
        // was sent: a write is not repeated).
        for attempt in 0..2 {
            if self.stream.is_none() {
                let s = TcpStream::connect(&self.addr).await?;
                s.set_nodelay(true)?;
                self.stream = Some(s);
            }
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            let mut head = format!("{method} {path} HTTP/1.1\r\nHost: load\r\n");
            if !cookie.is_empty() {
                head.push_str(&format!("Cookie: {cookie}\r\n"));
            }
            if let Some((ct, b)) = &body {
                head.push_str(&format!(
                    "Content-Type: {ct}\r\nContent-Length: {}\r\n",
                    b.len()
                ));
            } else {
                head.push_str("Content-Length: 0\r\n");
            }
            head.push_str("\r\n");
            let stream = self.stream.as_mut().expect("connected");
            let mut req = head.into_bytes();
            if let Some((_, b)) = &body {
                req.extend_from_slice(b.as_bytes());
            }
            if let Err(e) = stream.write_all(&req).await {
                self.stream = None;
                if attempt == 0 {
                    continue;
                }
                return Err(e);
            }
            match read_response(stream).await {
                Ok(r) => {
                    for l in r.head.lines() {
                        if let Some(v) = l.strip_prefix("set-cookie:") {
                            let pair = v.trim().split(';').next().unwrap_or("");
                            if let Some((k, v)) = pair.split_once('=') {
                                if v.is_empty() {
                                    self.cookies.remove(k);
                                } else {
                                    self.cookies.insert(k.to_string(), v.to_string());
                                }
                            }
                        }
                    }
                    if r.head.contains("connection: close") {
                        self.stream = None;
                    }
                    return Ok(r);
                }
                Err((e, nothing_read)) => {
                    self.stream = None;
                    if attempt == 0 && nothing_read && method == "GET" {
                        continue;
                    }
                    return Err(e);
                }
            }
        }
        Err(std::io::ErrorKind::ConnectionReset.into())
    }
}

async fn read_response(stream: &mut TcpStream) -> Result<Resp, (std::io::Error, bool)> {
    let mut buf = Vec::with_capacity(32 * 1024);
    let mut chunk = [0u8; 32 * 1024];
    let (end, head) = loop {
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| (e, buf.is_empty()))?;
        if n == 0 {
            return Err((std::io::ErrorKind::UnexpectedEof.into(), buf.is_empty()));
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break (
                pos + 4,
                String::from_utf8_lossy(&buf[..pos]).to_ascii_lowercase(),
            );
        }
    };
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut rest = buf.split_off(end);
    let eof = |e: std::io::Error| (e, false);
    let body = if head.contains("transfer-encoding: chunked") {
        let mut body = Vec::new();
        loop {
            // A chunk: size line, data, CRLF.
            let line_end = loop {
                if let Some(p) = rest.windows(2).position(|w| w == b"\r\n") {
                    break p;
                }
                let n = stream.read(&mut chunk).await.map_err(eof)?;
                if n == 0 {
                    return Err((std::io::ErrorKind::UnexpectedEof.into(), false));
                }
                rest.extend_from_slice(&chunk[..n]);
            };
            let size_text = String::from_utf8_lossy(&rest[..line_end]).to_string();
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .unwrap_or(0);
            while rest.len() < line_end + 2 + size + 2 {
                let n = stream.read(&mut chunk).await.map_err(eof)?;
                if n == 0 {
                    return Err((std::io::ErrorKind::UnexpectedEof.into(), false));
                }
                rest.extend_from_slice(&chunk[..n]);
            }
            body.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
            rest.drain(..line_end + 2 + size + 2);
            if size == 0 {
                break;
            }
        }
        body
    } else {
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        while rest.len() < length {
            let n = stream.read(&mut chunk).await.map_err(eof)?;
            if n == 0 {
                return Err((std::io::ErrorKind::UnexpectedEof.into(), false));
            }
            rest.extend_from_slice(&chunk[..n]);
        }
        rest.truncate(length);
        rest
    };
    Ok(Resp { status, head, body })
}
