//! The loopback bench's client (portal_load; check_load has its own copy still): one
//! keep-alive HTTP/1.1 connection speaking just
//! enough of the protocol (a request written whole, the answer read by its
//! `Content-Length` or its chunks), and the percentiles.

#![allow(dead_code)]

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A response: status, head (lower-cased), body.
pub struct Resp {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

/// One keep-alive connection.
pub struct Conn {
    stream: TcpStream,
    /// Bytes read past the last response.
    rest: Vec<u8>,
}

impl Conn {
    pub async fn open(addr: &str) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            rest: Vec::new(),
        })
    }

    async fn more(&mut self, buf: &mut Vec<u8>) -> std::io::Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// Sends `head` (the request line and headers, ending with the blank line) and the
    /// body's parts; reads the whole response.
    pub async fn call(&mut self, head: &str, body: &[&[u8]]) -> std::io::Result<Resp> {
        self.stream.write_all(head.as_bytes()).await?;
        for part in body {
            self.stream.write_all(part).await?;
        }
        let mut buf = std::mem::take(&mut self.rest);
        let (end, head) = loop {
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..pos]).to_ascii_lowercase();
                break (pos + 4, head);
            }
            self.more(&mut buf).await?;
        };
        let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        let chunked = head
            .lines()
            .any(|l| l.starts_with("transfer-encoding:") && l.contains("chunked"));
        let body = if chunked {
            let mut body = Vec::new();
            let mut at = end;
            loop {
                let line_end = loop {
                    if let Some(p) = buf[at..].windows(2).position(|w| w == b"\r\n") {
                        break at + p;
                    }
                    self.more(&mut buf).await?;
                };
                let size = usize::from_str_radix(
                    String::from_utf8_lossy(&buf[at..line_end])
                        .split(';')
                        .next()
                        .unwrap_or("")
                        .trim(),
                    16,
                )
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
                let data = line_end + 2;
                while buf.len() < data + size + 2 {
                    self.more(&mut buf).await?;
                }
                body.extend_from_slice(&buf[data..data + size]);
                at = data + size + 2;
                if size == 0 {
                    break;
                }
            }
            self.rest = buf[at..].to_vec();
            body
        } else {
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            while buf.len() < end + length {
                self.more(&mut buf).await?;
            }
            self.rest = buf[end + length..].to_vec();
            buf[end..end + length].to_vec()
        };
        Ok(Resp { status, head, body })
    }
}

/// The `p` quantile (0–1) of sorted durations (nearest rank).
pub fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The load average (1, 5, 15 minutes) from `/proc/loadavg`.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}
