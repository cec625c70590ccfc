//! Running the generator on a mutant in-process: on a worker thread, with
//! panics caught (and kept quiet) and a time limit.
//!
//! A thread cannot be killed, so a mutant that outlives its limit is left
//! running and the caller stops the pass after reporting it (the process
//! exit ends the thread). Running every mutant in a child process would
//! make that recoverable, but would cost a process start per mutant and
//! test a different set-up from the one users run (`cargo xtask generate`
//! generates in-process); a hang is a defect to fix before fuzzing on.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once, mpsc};
use std::time::Duration;

/// The stack of the worker thread: what the main thread of `cargo xtask
/// generate` gets on Linux, so a recursion that overflows for users
/// overflows here too. (A stack overflow aborts the process; the thread's
/// name, printed by Rust's handler, says which mutant it was.)
const STACK: usize = 8 * 1024 * 1024;

/// A caught panic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Panic {
    /// The panic message.
    pub message: String,
    /// Where it panicked (`file:line:column`), when known.
    pub location: String,
}

/// How a guarded run ended.
#[derive(Debug)]
pub enum Finished<T> {
    /// It returned.
    Done(T),
    /// It panicked (on the worker or any thread it spawned).
    Panicked(Panic),
    /// It was still running at the limit; the thread is left behind.
    TimedOut,
}

/// How many [`Quiet`] guards are alive: while any is, panics are recorded
/// instead of printed.
static QUIET: AtomicUsize = AtomicUsize::new(0);
/// The first panic since the last [`run`] started.
static FIRST_PANIC: Mutex<Option<Panic>> = Mutex::new(None);
static HOOK: Once = Once::new();

/// While alive, panics anywhere in the process are recorded for [`run`]
/// rather than printed. The previous hook is kept for other times.
pub struct Quiet(());

impl Quiet {
    /// Silences panics until dropped.
    pub fn new() -> Self {
        HOOK.call_once(|| {
            let previous = panic::take_hook();
            panic::set_hook(Box::new(move |info| {
                if QUIET.load(Ordering::SeqCst) == 0 {
                    return previous(info);
                }
                let payload = info.payload();
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a panic with a non-string payload".to_owned());
                let location = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_default();
                if let Ok(mut first) = FIRST_PANIC.lock() {
                    first.get_or_insert(Panic { message, location });
                }
            }));
        });
        QUIET.fetch_add(1, Ordering::SeqCst);
        Self(())
    }
}

impl Default for Quiet {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Quiet {
    fn drop(&mut self) {
        QUIET.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Runs `job` on a new thread named `name`, waiting at most `limit`.
/// Call it with a [`Quiet`] alive, one run at a time.
pub fn run<T: Send + 'static>(
    name: &str,
    limit: Duration,
    job: impl FnOnce() -> T + Send + 'static,
) -> Finished<T> {
    if let Ok(mut first) = FIRST_PANIC.lock() {
        *first = None;
    }
    let (send, receive) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(name.to_owned())
        .stack_size(STACK)
        .spawn(move || {
            let _ = send.send(panic::catch_unwind(AssertUnwindSafe(job)));
        });
    if let Err(e) = spawned {
        return Finished::Panicked(Panic {
            message: format!("could not start a worker thread: {e}"),
            location: String::new(),
        });
    }
    match receive.recv_timeout(limit) {
        Ok(Ok(value)) => Finished::Done(value),
        Ok(Err(payload)) => {
            // The hook saw the first panic, which may have been on a thread
            // the job spawned (the emitters run on every core); the payload
            // is then only "a scoped thread panicked".
            let recorded = FIRST_PANIC.lock().ok().and_then(|mut first| first.take());
            Finished::Panicked(recorded.unwrap_or_else(|| {
                Panic {
                    message: payload
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| payload.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "a panic with a non-string payload".to_owned()),
                    location: String::new(),
                }
            }))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Finished::TimedOut,
        // The thread ended without sending: only an abort does that, and
        // an abort ends this process too.
        Err(mpsc::RecvTimeoutError::Disconnected) => Finished::Panicked(Panic {
            message: "the worker thread ended without a result".to_owned(),
            location: String::new(),
        }),
    }
}
