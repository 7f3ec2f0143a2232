//! Images in a running Docker-compatible engine (Docker, `podman system service`), reached at
//! `DOCKER_HOST` or the default socket. The engine's `docker save` stream is read in one pass
//! as it arrives; nothing is written to disk.
use std::io::{self, Read};
use std::sync::mpsc;

use futures_util::StreamExt;

use super::stream::StreamStore;
use super::ReadOptions;
use crate::error::{ImageError, Result};

/// Exports `reference` from the engine and reads it.
pub(crate) fn export(reference: &str, opts: &ReadOptions<'_>) -> Result<StreamStore> {
    let docker = bollard::Docker::connect_with_defaults().map_err(|e| ImageError::Engine {
        message: e.to_string(),
    })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ImageError::io("starting the engine client", e))?;
    // Fail early, with the engine's words, when the image does not exist or the engine is down.
    runtime
        .block_on(docker.inspect_image(reference))
        .map_err(|e| ImageError::Engine {
            message: format!("image '{reference}': {}", engine_message(&e)),
        })?;

    // The HTTP stream runs on its own thread; chunks reach the tar reader through a bounded
    // channel, so memory stays at a few chunks whatever the image size.
    let (tx, rx) = mpsc::sync_channel::<io::Result<bytes_like::Chunk>>(8);
    let name = reference.to_string();
    let pump = std::thread::spawn(move || {
        runtime.block_on(async move {
            let mut stream = docker.export_image(&name);
            while let Some(item) = stream.next().await {
                let msg = item
                    .map(|b| b.to_vec())
                    .map_err(|e| io::Error::other(engine_message(&e)));
                let failed = msg.is_err();
                if tx.send(msg).is_err() || failed {
                    break;
                }
            }
        });
    });
    let reader = ChannelReader {
        rx,
        current: Vec::new(),
        pos: 0,
    };
    let result = StreamStore::read(reader, &format!("docker-daemon:{reference}"), opts);
    // If reading stopped early the receiver is dropped and the pump ends on its next send.
    let _ = pump.join();
    result
}

fn engine_message(e: &bollard::errors::Error) -> String {
    match e {
        bollard::errors::Error::DockerResponseServerError {
            status_code,
            message,
        } => format!("{message} (HTTP {status_code})"),
        other => other.to_string(),
    }
}

mod bytes_like {
    pub type Chunk = Vec<u8>;
}

struct ChannelReader {
    rx: mpsc::Receiver<io::Result<Vec<u8>>>,
    current: Vec<u8>,
    pos: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.current.len() {
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    self.current = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.pos);
        buf[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}
