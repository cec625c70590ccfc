//! Per-call overhead of the generated client: a loop of
//! `archiveJobs.retry` calls through it against a local HTTP/1.1 server,
//! side by side with the same requests written with reqwest alone, on one
//! tokio runtime (`cargo xtask callbench` runs it in release mode).
//!
//! Both sides use one `reqwest::Client` (so one connection pool and the
//! same settings: the generated client's transport is built from it with
//! `ReqwestTransport::from_client`), send the same headers (checked before
//! timing: the server records each side's), serialize the same empty body
//! and parse the answer into the same struct. Rounds alternate the sides
//! and their order, sequentially and with K calls in flight; the ratio is
//! the median of the rounds' ratios, which a shared, noisy machine moves
//! less than the times themselves. CPU time (all the process's threads,
//! server and kernel work included, from Linux's `schedstat`) is reported
//! too: another process's load moves it much less than wall-clock time.
//! Heap allocations are counted by a
//! `#[global_allocator]` that forwards to the system's and skips the
//! server's own work, so they are the client side's only.
//!
//! `cargo run --release --example callbench -- [--calls N] [--in-flight K] [--rounds R]`;
//! with `CALLBENCH_ONLY=generated` (or `reqwest`) the timed rounds run one
//! side only, for a profiler (`perf stat`, `perf record`).

use google_dataportability_v1::models::{
    RetryPortabilityArchiveRequest, RetryPortabilityArchiveResponse,
};
use google_dataportability_v1::{Client, ReqwestTransport, RetryPolicy, StaticToken};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

const TOKEN: &str = "ya29.callbench-token";
const NAME: &str = "archiveJobs/1";
const ANSWER: &[u8] = br#"{"archiveJobId":"2"}"#;
/// What the generated client sends as its user agent (the runtime's name
/// and version), sent by the reqwest side too so both send the same bytes.
const USER_AGENT: &str = "google-api-runtime/0.1.0";

/// Counts every allocation and reallocation made outside the server.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

/// Connections the server accepted: the same pool on both sides should
/// open no more once warm.
static CONNECTIONS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// Set while the server's tasks are polled: their allocations are not
    /// the client's.
    static IN_SERVER: Cell<bool> = const { Cell::new(false) };
}

fn count() {
    // `try_with`: a thread being torn down still allocates.
    if !IN_SERVER.try_with(Cell::get).unwrap_or(true) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A server future whose polls are not counted as the client's allocations.
struct Uncounted<F>(Pin<Box<F>>);

impl<F: Future> Future for Uncounted<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        IN_SERVER.with(|flag| flag.set(true));
        let result = self.0.as_mut().poll(cx);
        IN_SERVER.with(|flag| flag.set(false));
        result
    }
}

fn uncounted<F: Future>(future: F) -> Uncounted<F> {
    Uncounted(Box::pin(future))
}

/// What a run measures.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Calls per side, per mode, per round.
    pub calls: usize,
    /// Calls in flight in the concurrent mode.
    pub in_flight: usize,
    /// Rounds; ratios are their medians.
    pub rounds: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            calls: 3000,
            in_flight: 64,
            rounds: 9,
        }
    }
}

/// One mode's figures: per call, medians of the rounds.
#[derive(Clone, Copy, Debug)]
pub struct Figures {
    /// Calls in flight (1: sequential).
    pub in_flight: usize,
    /// Time per call through the generated client.
    pub generated: Duration,
    /// Time per call with reqwest alone.
    pub reqwest: Duration,
    /// Median of the rounds' time ratios, generated / reqwest.
    pub time_ratio: f64,
    /// Median of the rounds' CPU-time ratios, generated / reqwest (`None`
    /// where the system does not tell a thread's CPU time).
    pub cpu_ratio: Option<f64>,
    /// Heap allocations per call through the generated client.
    pub generated_allocations: f64,
    /// Heap allocations per call with reqwest alone.
    pub reqwest_allocations: f64,
    /// Connections opened during the timed rounds by each side (after
    /// warming up, none are needed).
    pub connections: (u64, u64),
}

/// What [`run`] found.
#[derive(Debug)]
pub struct Report {
    /// The run's settings.
    pub options: Options,
    /// Header names of the generated client's request, sorted.
    pub generated_headers: Vec<String>,
    /// Header names of the reqwest request, sorted.
    pub reqwest_headers: Vec<String>,
    /// The size of a generated call's `send()` future, in bytes.
    pub future_bytes: usize,
    /// Sequential, then concurrent.
    pub modes: Vec<Figures>,
}

impl Report {
    /// The report as printed, one fact per line.
    pub fn render(&self) -> String {
        let o = &self.options;
        let mut out = format!(
            "callbench: POST /v1/{NAME}:retry on 127.0.0.1 (HTTP/1.1), {} calls per side and \
             mode in each of {} rounds, one tokio runtime ({} worker threads)\n",
            o.calls,
            o.rounds,
            workers()
        );
        let same = if self.generated_headers == self.reqwest_headers {
            "same on both sides"
        } else {
            "DIFFERENT: the comparison is unfair"
        };
        out += &format!("headers: {} ({same})\n", self.generated_headers.join(", "));
        if self.generated_headers != self.reqwest_headers {
            out += &format!("  reqwest's: {}\n", self.reqwest_headers.join(", "));
        }
        out += &format!(
            "generated call's send() future: {} bytes\n",
            self.future_bytes
        );
        out += "mode           generated      reqwest  time ratio  cpu ratio  \
                allocs/call gen  reqwest  ratio\n";
        for m in &self.modes {
            let mode = if m.in_flight == 1 {
                "sequential".to_owned()
            } else {
                format!("{} in flight", m.in_flight)
            };
            out += &format!(
                "{mode:<13} {:>7.1} µs  {:>7.1} µs  {:>10.3}  {:>9}  {:>15.1}  {:>7.1}  {:>5.2}\n",
                micros(m.generated),
                micros(m.reqwest),
                m.time_ratio,
                m.cpu_ratio.map_or("-".to_owned(), |r| format!("{r:.3}")),
                m.generated_allocations,
                m.reqwest_allocations,
                m.generated_allocations / m.reqwest_allocations.max(1e-9),
            );
        }
        for m in &self.modes {
            out += &format!(
                "connections opened while timed, {} in flight: generated {}, reqwest {}\n",
                m.in_flight, m.connections.0, m.connections.1
            );
        }
        out
    }
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

fn workers() -> usize {
    tokio::runtime::Handle::try_current()
        .map(|h| h.metrics().num_workers())
        .unwrap_or(0)
}

/// Header names of the last request the server got, sorted.
type Recorded = Arc<Mutex<Vec<String>>>;

/// Starts the server on the current runtime; its URL, ending in `/`.
async fn start_server(recorded: Recorded) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("the port's address");
    tokio::spawn(uncounted(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            CONNECTIONS.fetch_add(1, Ordering::Relaxed);
            let recorded = Arc::clone(&recorded);
            tokio::spawn(uncounted(async move {
                let service = service_fn(move |request| answer(Arc::clone(&recorded), request));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            }));
        }
    }));
    format!("http://{address}/")
}

/// `{"archiveJobId":"2"}` to `POST /v1/archiveJobs/{id}:retry`, 404 to
/// anything else.
async fn answer(
    recorded: Recorded,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let (parts, body) = request.into_parts();
    body.collect().await?;
    let mut names: Vec<String> = parts.headers.keys().map(|n| n.to_string()).collect();
    names.sort();
    *recorded.lock().unwrap_or_else(|e| e.into_inner()) = names;
    let path = parts.uri.path();
    let found = parts.method == hyper::Method::POST
        && path.starts_with("/v1/archiveJobs/")
        && path.ends_with(":retry");
    let mut response = Response::new(Full::new(Bytes::from_static(if found {
        ANSWER
    } else {
        b"{}"
    })));
    if !found {
        *response.status_mut() = hyper::StatusCode::NOT_FOUND;
    }
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    Ok(response)
}

/// One call through the generated client.
async fn generated_call(client: Client) -> Result<(), String> {
    let response = client
        .archive_jobs()
        .retry(NAME)
        .await
        .map_err(|e| e.to_string())?;
    check(&response)
}

/// The same call with reqwest alone, as an application would write it:
/// the same headers, body and parsing.
async fn reqwest_call(http: reqwest::Client, endpoint: Arc<str>) -> Result<(), String> {
    // Formatted per call, as the name of a real call would vary.
    let url = format!("{endpoint}v1/{NAME}:retry");
    let body =
        serde_json::to_vec(&RetryPortabilityArchiveRequest::new()).map_err(|e| e.to_string())?;
    let response = http
        .post(url)
        .header(reqwest::header::USER_AGENT, USER_AGENT)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .bearer_auth(TOKEN)
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err(format!("status {}", response.status()));
    }
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    let response: RetryPortabilityArchiveResponse =
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    check(&response)
}

fn check(response: &RetryPortabilityArchiveResponse) -> Result<(), String> {
    match response.archive_job_id.as_deref() {
        Some("2") => Ok(()),
        other => Err(format!("unexpected answer {other:?}")),
    }
}

/// Makes `calls` calls with `call`, `in_flight` at a time, each stream of
/// calls in a task of its own (so even the sequential mode runs on a
/// worker thread, as the concurrent one does); the time and allocations.
/// (`cargo xtask callbench --instructions` counts what runs under this
/// function, by its name.)
async fn drive<F, Fut>(calls: usize, in_flight: usize, call: F) -> Measured
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    let next = Arc::new(AtomicUsize::new(0));
    let allocations = ALLOCATIONS.load(Ordering::Relaxed);
    let connections = CONNECTIONS.load(Ordering::Relaxed);
    let cpu = cpu_time();
    let started = Instant::now();
    let tasks: Vec<_> = (0..in_flight.max(1))
        .map(|_| {
            let next = Arc::clone(&next);
            let call = call.clone();
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    call().await?;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for task in tasks {
        task.await
            .expect("a call task panicked")
            .unwrap_or_else(|e| panic!("a call failed: {e}"));
    }
    let elapsed = started.elapsed();
    Measured {
        elapsed,
        cpu: cpu
            .zip(cpu_time())
            .map(|(before, after)| after.saturating_sub(before)),
        allocations: ALLOCATIONS.load(Ordering::Relaxed) - allocations,
        connections: CONNECTIONS.load(Ordering::Relaxed) - connections,
    }
}

/// What [`drive`] measured.
struct Measured {
    elapsed: Duration,
    cpu: Option<Duration>,
    allocations: u64,
    connections: u64,
}

/// CPU time of all the process's threads so far (Linux: the first field of
/// each `/proc/self/task/*/schedstat`, in nanoseconds). A thread that ended
/// meanwhile drops out of the sum, so it serves only while none do: the
/// runtime's workers live as long as the run.
fn cpu_time() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// Runs the benchmark on the current (multi-threaded) runtime.
pub async fn run(options: Options) -> Report {
    let recorded: Recorded = Arc::default();
    let endpoint = start_server(Arc::clone(&recorded)).await;
    // The same client on both sides: one pool, the same settings (the
    // generated client's default transport's redirect policy).
    let http = reqwest::Client::builder()
        .redirect(google_dataportability_v1::same_origin_redirects())
        .build()
        .expect("a reqwest client");
    let client = Client::builder()
        .endpoint(&endpoint)
        .token_provider(StaticToken::new(TOKEN).expect("a valid token"))
        .retry_policy(RetryPolicy::disabled())
        .transport(ReqwestTransport::from_client(http.clone()))
        .build()
        .expect("a client");
    let url: Arc<str> = endpoint.as_str().into();
    let generated = {
        let client = client.clone();
        move || generated_call(client.clone())
    };
    let plain = {
        let http = http.clone();
        move || reqwest_call(http.clone(), Arc::clone(&url))
    };

    // What each side sends, before anything is timed.
    let headers = |recorded: &Recorded| recorded.lock().unwrap_or_else(|e| e.into_inner()).clone();
    generated().await.unwrap_or_else(|e| panic!("{e}"));
    let generated_headers = headers(&recorded);
    plain().await.unwrap_or_else(|e| panic!("{e}"));
    let reqwest_headers = headers(&recorded);
    let future_bytes = std::mem::size_of_val(&client.archive_jobs().retry(NAME).send());

    let modes = [1, options.in_flight.max(1)];
    // Opens the pool's connections for both modes.
    for in_flight in modes {
        let warm = options.calls.min(4 * in_flight).max(in_flight);
        drive(warm, in_flight, generated.clone()).await;
        drive(warm, in_flight, plain.clone()).await;
    }
    let mut figures = Vec::new();
    for in_flight in modes {
        let mut times = (Vec::new(), Vec::new());
        let mut ratios = Vec::new();
        let mut cpu_ratios = Vec::new();
        let mut connections = (0, 0);
        let mut allocations = (Vec::new(), Vec::new());
        for round in 0..options.rounds.max(1) {
            // Alternate which side goes first, so a drift in the machine's
            // load favours neither.
            // `CALLBENCH_ONLY=generated` (or `reqwest`) runs one side
            // only, for a profiler; the other then makes a single call.
            let only = std::env::var("CALLBENCH_ONLY").ok();
            let calls = |side: &str| match only.as_deref() {
                Some(chosen) if chosen != side => 1,
                _ => options.calls,
            };
            let (g, p) = if round % 2 == 0 {
                let g = drive(calls("generated"), in_flight, generated.clone()).await;
                (g, drive(calls("reqwest"), in_flight, plain.clone()).await)
            } else {
                let p = drive(calls("reqwest"), in_flight, plain.clone()).await;
                (
                    drive(calls("generated"), in_flight, generated.clone()).await,
                    p,
                )
            };
            let per_call = |d: Duration| d.as_secs_f64() / options.calls as f64;
            times.0.push(per_call(g.elapsed));
            times.1.push(per_call(p.elapsed));
            ratios.push(g.elapsed.as_secs_f64() / p.elapsed.as_secs_f64().max(1e-12));
            if let (Some(g), Some(p)) = (g.cpu, p.cpu) {
                cpu_ratios.push(g.as_secs_f64() / p.as_secs_f64().max(1e-12));
            }
            connections.0 += g.connections;
            connections.1 += p.connections;
            allocations
                .0
                .push(g.allocations as f64 / options.calls as f64);
            allocations
                .1
                .push(p.allocations as f64 / options.calls as f64);
        }
        figures.push(Figures {
            in_flight,
            generated: Duration::from_secs_f64(median(&mut times.0)),
            reqwest: Duration::from_secs_f64(median(&mut times.1)),
            time_ratio: median(&mut ratios),
            cpu_ratio: (!cpu_ratios.is_empty()).then(|| median(&mut cpu_ratios)),
            connections,
            generated_allocations: median(&mut allocations.0),
            reqwest_allocations: median(&mut allocations.1),
        });
    }
    Report {
        options,
        generated_headers,
        reqwest_headers,
        future_bytes,
        modes: figures,
    }
}

/// Reads `--calls N`, `--in-flight K` and `--rounds R`.
fn parse_args() -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let slot = match flag.as_str() {
            "--calls" => &mut options.calls,
            "--in-flight" => &mut options.in_flight,
            "--rounds" => &mut options.rounds,
            _ => return Err(format!("unknown argument {flag:?}")),
        };
        let value = args.next().ok_or(format!("{flag} needs a number"))?;
        *slot = value
            .parse()
            .ok()
            .filter(|n| *n > 0)
            .ok_or(format!("{flag} needs a number above 0, not {value:?}"))?;
    }
    Ok(options)
}

fn main() -> std::process::ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("callbench: {message}");
            eprintln!("usage: callbench [--calls N] [--in-flight K] [--rounds R]");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let report = runtime.block_on(async {
        let report = run(options).await;
        print!("{}", report.render());
        report
    });
    if report.generated_headers != report.reqwest_headers {
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
