//! OCI image layout directories (`oci:DIR`): `index.json` and `blobs/ALG/HEX` as files.
use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;
use std::sync::Arc;

use super::{ProgressReader, ReadOptions, Store};
use crate::error::{ImageError, Result};
use crate::layer::{clean_entry_name, read_layer_with, EntryBudget, LayerTree, Limits};

pub(crate) struct DirStore {
    root: PathBuf,
    ctx: String,
}

impl DirStore {
    pub(crate) fn new(root: PathBuf) -> DirStore {
        let ctx = root.display().to_string();
        DirStore { root, ctx }
    }
    fn path(&self, name: &str) -> Result<PathBuf> {
        let limits = Limits::default();
        let parts = clean_entry_name(name, &self.context_string(), &limits)?
            .ok_or_else(|| ImageError::invalid(self.context_string(), "empty blob name"))?;
        Ok(parts.iter().fold(self.root.clone(), |p, c| p.join(c)))
    }
    fn context_string(&self) -> String {
        self.root.display().to_string()
    }
}

impl Store for DirStore {
    fn has(&self, name: &str) -> bool {
        self.path(name).map(|p| p.is_file()).unwrap_or(false)
    }
    fn resolve(&self, name: &str) -> Result<String> {
        let p = self.path(name)?;
        match std::fs::metadata(&p) {
            Ok(m) if m.is_file() => Ok(name.to_string()),
            Ok(_) => Err(ImageError::invalid(
                self.context_string(),
                format!("'{name}' is not a regular file"),
            )),
            Err(e) if e.raw_os_error() == Some(40) => Err(ImageError::invalid(
                self.context_string(),
                format!("'{name}' is part of a symlink loop"),
            )),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(ImageError::invalid(
                self.context_string(),
                format!("'{name}' is not in the layout"),
            )),
            Err(e) => Err(ImageError::io(
                format!("{}: {name}", self.context_string()),
                e,
            )),
        }
    }
    fn read_small(&self, name: &str, limits: &Limits) -> Result<Vec<u8>> {
        self.resolve(name)?;
        let p = self.path(name)?;
        let ctx = format!("{}: {name}", self.context_string());
        let f = File::open(&p).map_err(|e| ImageError::io(&ctx, e))?;
        let mut buf = Vec::new();
        f.take(limits.max_json_bytes + 1)
            .read_to_end(&mut buf)
            .map_err(|e| ImageError::io(&ctx, e))?;
        if buf.len() as u64 > limits.max_json_bytes {
            return Err(ImageError::limit(ctx, "too big for a JSON document"));
        }
        Ok(buf)
    }
    fn size(&self, name: &str) -> u64 {
        self.path(name)
            .ok()
            .and_then(|p| std::fs::metadata(p).ok())
            .map_or(0, |m| m.len())
    }
    fn layer(
        &self,
        name: &str,
        opts: &ReadOptions<'_>,
        budget: &EntryBudget,
    ) -> Result<Arc<LayerTree>> {
        let ctx = format!("{}: layer {name}", self.context_string());
        let f = File::open(self.path(name)?).map_err(|e| ImageError::io(&ctx, e))?;
        read_layer_with(
            ProgressReader {
                inner: f,
                progress: opts.progress,
            },
            &ctx,
            &opts.limits,
            budget,
            opts.capture,
        )
        .map(Arc::new)
    }
    fn context(&self) -> &str {
        &self.ctx
    }
}

