//! The thread writes run on.
//!
//! A write is a dozen short database round trips made while it holds the write lock. On the
//! HTTP workers each round trip's continuation waits in line behind every read the worker has
//! ready, so under load a write held the lock many times longer than its work, and writers
//! queued behind it. Here writes run on a thread of their own, which has nothing else to do
//! when a round trip returns.
//!
//! A write whose request goes away before it finishes (the client hung up, the request timed
//! out) is dropped there too and its transaction rolls back, as it would on the worker.

use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use anyhow::anyhow;
use tokio::sync::{mpsc, oneshot};
use tracing::Instrument as _;

use crate::error::{ApiError, ApiResult};

type Job = Box<dyn FnOnce() -> Pin<Box<dyn Future<Output = ()>>> + Send>;

fn queue() -> &'static mpsc::UnboundedSender<Job> {
    static QUEUE: OnceLock<mpsc::UnboundedSender<Job>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
        std::thread::Builder::new()
            .name("eventdir-writer".to_owned())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("the writer's runtime");
                let local = tokio::task::LocalSet::new();
                local.block_on(&runtime, async move {
                    while let Some(job) = rx.recv().await {
                        tokio::task::spawn_local(job());
                    }
                });
            })
            .expect("the writer thread");
        tx
    })
}

/// Runs the future `make` builds on the writer thread, in the caller's tracing span, and
/// returns its result.
pub async fn run<T, F, Fut>(make: F) -> ApiResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ApiResult<T>> + 'static,
{
    let (tx, rx) = oneshot::channel();
    let span = tracing::Span::current();
    let job: Job = Box::new(move || {
        Box::pin(async move {
            let mut tx = tx;
            tokio::select! {
                result = make().instrument(span) => { let _ = tx.send(result); }
                () = tx.closed() => {}
            }
        })
    });
    queue()
        .send(job)
        .map_err(|_| ApiError::Internal(anyhow!("the writer thread has stopped")))?;
    rx.await
        .map_err(|_| ApiError::Internal(anyhow!("a write stopped before it finished")))?
}
