//! docker-archive and oci-archive tarballs on disk: the outer tar is indexed by its headers
//! (data seeked over), then each layer blob is read in place; an uncompressed layer is read
//! header by header too, seeking over file data.
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{member_name, resolve_links, ProgressReader, ReadOptions, Store};
use crate::error::{ImageError, Result};
use crate::layer::{read_layer_with, read_plain_layer_seekable, EntryBudget, LayerTree, Limits};

#[derive(Clone, Debug)]
struct OuterEntry {
    offset: u64,
    size: u64,
    typeflag: u8,
    link: Option<String>,
}

pub(crate) struct TarStore {
    path: PathBuf,
    ctx: String,
    entries: HashMap<String, OuterEntry>,
}

impl TarStore {
    pub(crate) fn open(path: &Path, opts: &ReadOptions<'_>) -> Result<TarStore> {
        let ctx = path.display().to_string();
        let file = File::open(path).map_err(|e| ImageError::io(&ctx, e))?;
        let meta = file.metadata().map_err(|e| ImageError::io(&ctx, e))?;
        if meta.is_dir() {
            return Err(ImageError::invalid(
                &ctx,
                "is a directory; use oci:DIR for an OCI layout",
            ));
        }
        let len = meta.len();
        let mut archive = tar::Archive::new(&file);
        let mut entries = HashMap::new();
        let iter = archive
            .entries_with_seek()
            .map_err(|e| ImageError::io(&ctx, e))?;
        let mut count = 0u64;
        for entry in iter {
            let entry = entry.map_err(|e| ImageError::io(format!("{ctx}: reading archive"), e))?;
            count += 1;
            if count > opts.limits.max_entries {
                return Err(ImageError::limit(
                    &ctx,
                    format!("more than {} archive members", opts.limits.max_entries),
                ));
            }
            let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let Some(name) = member_name(&raw, &ctx, &opts.limits)? else {
                continue;
            };
            let offset = entry.raw_file_position();
            let size = entry.size();
            let typeflag = entry.header().entry_type().as_byte();
            let carries_data = matches!(typeflag, b'0' | 0 | b'7');
            if carries_data && offset.saturating_add(size) > len {
                return Err(ImageError::invalid(
                    &ctx,
                    format!(
                        "member '{name}' declares {size} bytes but the archive ends {} bytes in",
                        len.saturating_sub(offset)
                    ),
                ));
            }
            let link = entry
                .link_name_bytes()
                .map(|l| String::from_utf8_lossy(&l).into_owned());
            entries.insert(
                name,
                OuterEntry {
                    offset,
                    size,
                    typeflag,
                    link,
                },
            );
        }
        Ok(TarStore {
            path: path.to_path_buf(),
            ctx,
            entries,
        })
    }

    fn reader(&self, name: &str) -> Result<io::Take<File>> {
        let e = &self.entries[name];
        let mut f = File::open(&self.path).map_err(|err| ImageError::io(&self.ctx, err))?;
        f.seek(SeekFrom::Start(e.offset))
            .map_err(|err| ImageError::io(&self.ctx, err))?;
        Ok(f.take(e.size))
    }
}

impl Store for TarStore {
    fn has(&self, name: &str) -> bool {
        self.entries.contains_key(name)
    }
    fn resolve(&self, name: &str) -> Result<String> {
        resolve_links(name, |n| {
            self.entries.get(n).map(|e| (e.typeflag, e.link.clone()))
        })
        .map_err(|m| ImageError::invalid(&self.ctx, m))
    }
    fn read_small(&self, name: &str, limits: &Limits) -> Result<Vec<u8>> {
        let real = self.resolve(name)?;
        let size = self.entries[&real].size;
        if size > limits.max_json_bytes {
            return Err(ImageError::limit(
                &self.ctx,
                format!("'{name}' is {size} bytes, too big for a JSON document"),
            ));
        }
        let mut buf = Vec::with_capacity(size as usize);
        self.reader(&real)?
            .read_to_end(&mut buf)
            .map_err(|e| ImageError::io(format!("{}: {name}", self.ctx), e))?;
        Ok(buf)
    }
    fn size(&self, name: &str) -> u64 {
        self.entries.get(name).map_or(0, |e| e.size)
    }
    fn layer(
        &self,
        name: &str,
        opts: &ReadOptions<'_>,
        budget: &EntryBudget,
    ) -> Result<Arc<LayerTree>> {
        let ctx = format!("{}: layer {name}", self.ctx);
        let e = &self.entries[name];
        if self.is_plain(name, &ctx)? {
            // Plain tar on disk: read headers only and seek over file data.
            let f = File::open(&self.path).map_err(|err| ImageError::io(&self.ctx, err))?;
            let slice = FileSlice {
                file: f,
                start: e.offset,
                len: e.size,
                pos: 0,
            };
            let tree = read_plain_layer_seekable(slice, e.size, &ctx, &opts.limits, budget, opts.capture)?;
            if let Some(p) = opts.progress {
                p(e.size);
            }
            return Ok(Arc::new(tree));
        }
        let reader = ProgressReader {
            inner: self.reader(name)?,
            progress: opts.progress,
        };
        read_layer_with(reader, &ctx, &opts.limits, budget, opts.capture).map(Arc::new)
    }
    fn context(&self) -> &str {
        &self.ctx
    }
    fn reads_in_place(&self, name: &str) -> bool {
        // An error here shows again, with its context, when the layer is read.
        self.is_plain(name, "").unwrap_or(false)
    }
}

impl TarStore {
    /// Whether a layer member is an uncompressed tar, by its first bytes.
    fn is_plain(&self, name: &str, ctx: &str) -> Result<bool> {
        let mut magic = [0u8; 4];
        let n = self
            .reader(name)?
            .read(&mut magic)
            .map_err(|err| ImageError::io(ctx, err))?;
        let compressed =
            n >= 2 && magic[..2] == [0x1f, 0x8b] || n == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd];
        Ok(!compressed)
    }
}

/// A window onto part of a file that reads and seeks within the window only.
struct FileSlice {
    file: File,
    start: u64,
    len: u64,
    pos: u64,
}

impl Read for FileSlice {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        use std::os::unix::fs::FileExt;
        let left = self.len.saturating_sub(self.pos);
        let want = (buf.len() as u64).min(left) as usize;
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.start + self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for FileSlice {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let new = match to {
            SeekFrom::Start(p) => p as i128,
            SeekFrom::Current(d) => self.pos as i128 + d as i128,
            SeekFrom::End(d) => self.len as i128 + d as i128,
        };
        if new < 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before start of layer",
            ));
        }
        self.pos = new as u64;
        Ok(self.pos)
    }
}

