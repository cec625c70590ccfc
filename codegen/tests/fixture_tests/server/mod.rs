//! A small real HTTP/1.1 server on 127.0.0.1 for the fixture crates'
//! tests: it records every request and answers with whatever the test's
//! handler returns. Written on `std` only, so fixture crates need no HTTP
//! server dependency. It fails like a real network when a reply says so:
//! a pause mid-body ([`Reply::pause_after`]), a body cut off by a closed
//! connection ([`Reply::cut_after`]), a connection closed without an
//! answer ([`Reply::reset`]).

#![allow(dead_code)] // Each test file uses a different part.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    /// Path and query, as sent (percent-encoded).
    pub target: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    /// The raw `name=value` pairs of the query, in order.
    pub fn query(&self) -> Vec<(String, String)> {
        match self.target.split_once('?') {
            None => Vec::new(),
            Some((_, query)) => query
                .split('&')
                .map(|pair| {
                    let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
                    (n.to_owned(), v.to_owned())
                })
                .collect(),
        }
    }

    pub fn query_value(&self, name: &str) -> Option<String> {
        self.query()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// An answer: status, extra headers, body.
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Sends the head and the first `bytes` of the body, then waits
    /// `pause` before the rest: a server that stalls mid-stream. (Carried
    /// as a header the server strips, so `Reply` keeps its three fields.)
    pub fn pause_after(self, bytes: usize, pause: std::time::Duration) -> Self {
        self.with_header(PAUSE_HEADER, &format!("{bytes}:{}", pause.as_millis()))
    }

    /// Sends the head (with the whole body's length) and the first
    /// `bytes` of the body, then closes the connection: a connection reset
    /// mid-body.
    pub fn cut_after(self, bytes: usize) -> Self {
        self.with_header(CUT_HEADER, &bytes.to_string())
    }

    /// Closes the connection without answering: a reset before any
    /// response.
    pub fn reset() -> Self {
        Self::json(500, "").with_header(RESET_HEADER, "")
    }
}

/// The header [`Reply::pause_after`] leaves for the server, never sent.
const PAUSE_HEADER: &str = "x-test-server-pause";
/// The header [`Reply::cut_after`] leaves for the server, never sent.
const CUT_HEADER: &str = "x-test-server-cut";
/// The header [`Reply::reset`] leaves for the server, never sent.
const RESET_HEADER: &str = "x-test-server-reset";

/// Whether the server only acts on the header and never sends it.
fn is_control(name: &str) -> bool {
    [PAUSE_HEADER, CUT_HEADER, RESET_HEADER].contains(&name)
}

/// Where to pause the body, and for how long, from [`PAUSE_HEADER`].
fn pause_of(reply: &Reply) -> Option<(usize, std::time::Duration)> {
    let (_, value) = reply.headers.iter().find(|(n, _)| n == PAUSE_HEADER)?;
    let (bytes, millis) = value.split_once(':')?;
    let millis = millis.parse().ok()?;
    Some((bytes.parse().ok()?, std::time::Duration::from_millis(millis)))
}

/// A running server; it stops when the test process ends.
pub struct Server {
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    /// Starts a server whose answer to each request is `handler(request, base_url)`.
    pub fn start(handler: impl Fn(&Received, &str) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}/", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let handler = Arc::new(handler);
        let (log, base) = (received.clone(), url.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (log, handler, base) = (log.clone(), handler.clone(), base.clone());
                std::thread::spawn(move || serve(stream, &log, &*handler, &base));
            }
        });
        Self { url, received }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// Answers requests on one connection until the client closes it.
fn serve(
    stream: TcpStream,
    log: &Mutex<Vec<Received>>,
    handler: &(dyn Fn(&Received, &str) -> Reply + Send + Sync),
    base: &str,
) {
    let mut writer = stream.try_clone().expect("clone stream");
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
            return;
        };
        let (method, target) = (method.to_owned(), target.to_owned());
        let mut headers = Vec::new();
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let request = Received {
            method,
            target,
            headers,
            body,
        };
        let reply = handler(&request, base);
        log.lock().unwrap().push(request);
        if reply.headers.iter().any(|(n, _)| n == RESET_HEADER) {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return;
        }
        let cut: Option<usize> = reply
            .headers
            .iter()
            .find(|(n, _)| n == CUT_HEADER)
            .and_then(|(_, v)| v.parse().ok());
        let mut head = format!(
            "HTTP/1.1 {} Status\r\ncontent-length: {}\r\n",
            reply.status,
            reply.body.len()
        );
        for (name, value) in reply.headers.iter().filter(|(n, _)| !is_control(n)) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let (first, pause) = match (pause_of(&reply), cut) {
            (_, Some(bytes)) => (bytes.min(reply.body.len()), None),
            (Some((bytes, pause)), None) => (bytes.min(reply.body.len()), Some(pause)),
            (None, None) => (reply.body.len(), None),
        };
        if writer.write_all(head.as_bytes()).is_err()
            || writer.write_all(&reply.body[..first]).is_err()
            || writer.flush().is_err()
        {
            return;
        }
        if cut.is_some() {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return;
        }
        if let Some(pause) = pause {
            std::thread::sleep(pause);
        }
        if writer.write_all(&reply.body[first..]).is_err() {
            return;
        }
    }
}
