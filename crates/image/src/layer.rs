//! Reads one layer (a tar stream, plain, gzip or zstd) into a metadata-only [`Tree`].
//! The layer's bytes flow through once; file contents are skipped, never stored.
use std::io::{self, BufReader, Read};

use sha2::{Digest, Sha256};

use crate::error::{ImageError, Result};
use crate::tree::{FileInfo, Tree, OPAQUE_PREFIX};

/// Caps that keep a hostile archive from taking all memory or time.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Entries over all layers of one image (a tar bomb of millions of empty files stops here).
    pub max_entries: u64,
    /// Bytes of one JSON document (manifest, config, index).
    pub max_json_bytes: u64,
    /// Components in one path.
    pub max_depth: usize,
    /// Bytes of entry names and link targets over all layers of one image (the file trees
    /// keep them; real images have tens of megabytes at most).
    pub max_name_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        // Real images rarely pass 500k files; node_modules-heavy ones reach ~1M.
        Limits {
            max_entries: 4_000_000,
            max_json_bytes: 64 << 20,
            max_depth: 256,
            max_name_bytes: 1 << 30,
        }
    }
}

/// Compression of a layer blob, found by its first bytes (media types lie or are missing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

/// Chooses files whose contents a consumer wants while a layer streams by (package databases):
/// the reader stays ignorant of what they mean.
pub trait Capture: Sync {
    /// Whether the entry at `parts` is wanted, and the most bytes worth keeping of it (larger
    /// files are skipped, not truncated: half a database reads as a wrong one).
    fn wants(&self, parts: &[&str]) -> Option<u64>;
    /// What to keep of a wanted file; may shrink it (e.g. only a header block).
    fn keep(&self, _parts: &[&str], data: Vec<u8>) -> Vec<u8> {
        data
    }
    /// Whether to fingerprint the entry at `parts`: its contents are hashed as they stream by
    /// (never held whole), so comparing two images' files costs no memory per byte.
    fn digest(&self, _parts: &[&str]) -> bool {
        false
    }
    /// A [`Scanner`] for a regular file no [`Capture::wants`] took (`mode` is the tar header's):
    /// it sees the file's bytes as they stream by and keeps only what it finds, so a reader
    /// can look inside big files (executables) without holding them.
    fn scan(&self, _parts: &[&str], _mode: u32, _size: u64) -> Option<Box<dyn Scanner>> {
        None
    }
}

/// Looks through one file's bytes in order; see [`Capture::scan`].
pub trait Scanner {
    /// Whether more bytes are wanted; once false, the rest of the file is skipped unread.
    fn wants_more(&self) -> bool;
    /// The next bytes of the file.
    fn feed(&mut self, bytes: &[u8]);
    /// What to keep, stored as a [`CapturedFile`] under the file's path.
    fn finish(self: Box<Self>) -> Option<Vec<u8>>;
}

/// What an entry holds, as far as comparing two images' files needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Content {
    /// A regular file's SHA-256.
    Sha256([u8; 32]),
    /// A symbolic link's target.
    Symlink(Box<str>),
    /// A hard link to another entry (its path in the layer): same content as that entry.
    HardLink(Box<str>),
    /// Directories, devices, fifos: only their existence counts.
    Other,
}

/// A fingerprint taken for a [`Capture::digest`] request, by path (components joined by `/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileDigest {
    pub path: Box<str>,
    pub content: Content,
}

/// A file's content captured from a layer, by its path in the layer (components joined by `/`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CapturedFile {
    pub path: Box<str>,
    pub data: Vec<u8>,
}

/// One layer's file tree plus what dive counts about it.
#[derive(Clone, Debug, Default)]
pub struct LayerTree {
    pub tree: Tree,
    /// Sum of all entries' header sizes: dive's layer size.
    pub size: u64,
    pub entries: u64,
    /// Directories marked opaque in this layer (components).
    pub opaque_dirs: Vec<Vec<Box<str>>>,
    pub compression: Option<Compression>,
    /// Contents of the files a [`Capture`] asked for, in layer order.
    pub captured: Vec<CapturedFile>,
    /// Fingerprints of the entries a [`Capture`] asked to digest, in layer order.
    pub digests: Vec<FileDigest>,
}

/// Counts entries and their name bytes across the layers of one image so the limits cover the
/// whole image.
#[derive(Debug, Default)]
pub struct EntryBudget {
    used: std::sync::atomic::AtomicU64,
    name_bytes: std::sync::atomic::AtomicU64,
}

impl EntryBudget {
    fn take(&self, limits: &Limits, context: &str) -> Result<()> {
        charge(&self.used, 1, limits.max_entries, context, || {
            format!("more than {} entries in the image; refusing to continue (tar bomb?)", limits.max_entries)
        })
    }

    fn take_name_bytes(&self, limits: &Limits, context: &str, n: u64) -> Result<()> {
        charge(&self.name_bytes, n, limits.max_name_bytes, context, || {
            format!("more than {} bytes of entry names in the image; refusing to continue", limits.max_name_bytes)
        })
    }
}

/// Adds `n` to a counter shared by the image's readers; a limit error past `max`.
fn charge(
    counter: &std::sync::atomic::AtomicU64,
    n: u64,
    max: u64,
    context: &str,
    message: impl FnOnce() -> String,
) -> Result<()> {
    let used = counter.fetch_add(n, std::sync::atomic::Ordering::Relaxed).saturating_add(n);
    if used > max {
        return Err(ImageError::limit(context, message()));
    }
    Ok(())
}

/// Splits and checks an entry name. `Ok(None)` for the root entry (`.` or `./`).
/// Names that are absolute or climb out with `..` are errors: an image layer never needs them
/// and tools that extract them would write outside the root.
pub fn clean_entry_name<'a>(
    name: &'a str,
    context: &str,
    limits: &Limits,
) -> Result<Option<Vec<&'a str>>> {
    if name.starts_with('/') {
        return Err(ImageError::invalid(
            context,
            format!("entry '{name}' has an absolute name"),
        ));
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(ImageError::invalid(
                    context,
                    format!("entry '{name}' climbs out of the root (..)"),
                ));
            }
            p => parts.push(p),
        }
    }
    if parts.len() > limits.max_depth {
        return Err(ImageError::limit(
            context,
            format!(
                "entry '{name}' is nested deeper than {} levels",
                limits.max_depth
            ),
        ));
    }
    Ok(if parts.is_empty() { None } else { Some(parts) })
}

/// Peeks at the first bytes and wraps the stream in the right decoder.
pub fn decompress<'r, R: Read + 'r>(
    mut reader: R,
) -> io::Result<(Compression, Box<dyn Read + 'r>)> {
    // Read the magic in full even if the source hands out bytes one at a time.
    let mut head = [0u8; 4];
    let mut got = 0;
    while got < head.len() {
        match reader.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let head = &head[..got];
    let kind = if head.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else {
        Compression::None
    };
    let buf = BufReader::with_capacity(256 * 1024, io::Cursor::new(head.to_vec()).chain(reader));
    let out: Box<dyn Read> = match kind {
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buf)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(buf)?),
        Compression::None => Box::new(buf),
    };
    Ok((kind, out))
}

/// Reads a whole layer blob. `context` names it in errors (e.g. `image.tar: blobs/sha256/ab..`).
pub fn read_layer(
    reader: impl Read,
    context: &str,
    limits: &Limits,
    budget: &EntryBudget,
) -> Result<LayerTree> {
    read_layer_with(reader, context, limits, budget, None)
}

/// [`read_layer`], keeping the contents of the files `capture` asks for.
pub fn read_layer_with(
    reader: impl Read,
    context: &str,
    limits: &Limits,
    budget: &EntryBudget,
    capture: Option<&dyn Capture>,
) -> Result<LayerTree> {
    let (compression, stream) = decompress(reader).map_err(|e| ImageError::io(context, e))?;
    let mut counted = CountingReader {
        inner: stream,
        count: 0,
    };
    let mut layer = read_layer_tar(&mut counted, context, limits, budget, capture)?;
    // An empty layer may be zero bytes; anything else must be a tar stream.
    layer.compression = Some(compression);
    // Drain the rest so a compressed stream's trailer (CRC, length) is verified too.
    io::copy(&mut counted, &mut io::sink()).map_err(|e| ImageError::io(context, e))?;
    Ok(layer)
}

struct CountingReader<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

fn read_layer_tar<R: Read>(
    reader: &mut CountingReader<R>,
    context: &str,
    limits: &Limits,
    budget: &EntryBudget,
    capture: Option<&dyn Capture>,
) -> Result<LayerTree> {
    let mut archive = tar::Archive::new(reader);
    let entries = archive.entries().map_err(|e| ImageError::io(context, e))?;
    collect_entries(entries, None, context, limits, budget, capture)
}

/// An uncompressed layer in a seekable source (a slice of an archive file): only headers are
/// read, file data is seeked over. `len` is the blob's size, to catch entries that overrun it.
pub fn read_plain_layer_seekable<R: Read + io::Seek>(
    reader: R,
    len: u64,
    context: &str,
    limits: &Limits,
    budget: &EntryBudget,
    capture: Option<&dyn Capture>,
) -> Result<LayerTree> {
    let mut archive = tar::Archive::new(reader);
    let entries = archive
        .entries_with_seek()
        .map_err(|e| ImageError::io(context, e))?;
    let mut layer = collect_entries(entries, Some(len), context, limits, budget, capture)?;
    layer.compression = Some(Compression::None);
    Ok(layer)
}

fn collect_entries<'a, R: Read + 'a>(
    entries: tar::Entries<'a, R>,
    seek_len: Option<u64>,
    context: &str,
    limits: &Limits,
    budget: &EntryBudget,
    capture: Option<&dyn Capture>,
) -> Result<LayerTree> {
    let mut layer = LayerTree::default();
    for entry in entries {
        let mut entry = entry.map_err(|e| tar_error(context, e))?;
        budget.take(limits, context)?;
        let header = entry.header();
        let mut typeflag = header.entry_type().as_byte();
        if typeflag == b'g' {
            // dive stops on these; we only note nothing and move on (they carry no file).
            continue;
        }
        let raw_path = entry.path_bytes();
        let name = std::str::from_utf8(&raw_path)
            .map_err(|_| {
                ImageError::invalid(
                    context,
                    format!(
                        "entry name is not UTF-8: {:?}",
                        String::from_utf8_lossy(&raw_path)
                    ),
                )
            })?
            .to_owned();
        if typeflag == 0 && name.ends_with('/') {
            typeflag = b'5';
        }
        let Some(parts) = clean_entry_name(&name, context, limits)? else {
            continue;
        };
        let mode = header.mode().unwrap_or(0);
        let size = entry.size();
        let link = match entry.link_name_bytes() {
            Some(l) if !l.is_empty() => {
                Some(String::from_utf8_lossy(&l).into_owned().into_boxed_str())
            }
            _ => None,
        };
        budget.take_name_bytes(
            limits,
            context,
            name.len() as u64 + link.as_deref().map_or(0, |l| l.len() as u64),
        )?;
        let info = FileInfo {
            size,
            mode,
            typeflag,
            is_dir: typeflag == b'5' || (mode & !0o7777) == 0o040000,
        };
        layer.size += size;
        layer.entries += 1;
        if parts.last().is_some_and(|p| p.starts_with(OPAQUE_PREFIX)) {
            layer.opaque_dirs.push(
                parts[..parts.len() - 1]
                    .iter()
                    .map(|p| (*p).into())
                    .collect(),
            );
        }
        let wanted = match capture {
            Some(c) if info.is_regular() => c.wants(&parts).filter(|max| size <= *max),
            _ => None,
        };
        let fingerprint = capture.is_some_and(|c| c.digest(&parts));
        let mut content = None;
        if fingerprint {
            content = Some(match typeflag {
                b'1' => Content::HardLink(link.clone().unwrap_or_default()),
                b'2' => Content::Symlink(link.clone().unwrap_or_default()),
                _ => Content::Other,
            });
        }
        let hash_data = fingerprint && info.is_regular();
        let scanner = match capture {
            Some(c) if wanted.is_none() && info.is_regular() && size > 0 => c.scan(&parts, mode, size),
            _ => None,
        };
        if let Some(id) = layer.tree.add_path(&parts, Some(info), 0) {
            if link.is_some() {
                layer.tree.set_link(id, link.as_deref());
            }
        }
        let mut consumed = 0;
        if let Some(mut scanner) = scanner {
            let mut hasher = hash_data.then(Sha256::new);
            consumed = scan_entry(&mut entry, size, scanner.as_mut(), hasher.as_mut())
                .map_err(|e| tar_error(context, e))?;
            if let Some(hasher) = hasher {
                if consumed < size {
                    return Err(ImageError::invalid(
                        context,
                        format!("entry '{name}' declares {size} bytes but the data ends after {consumed}"),
                    ));
                }
                content = Some(Content::Sha256(hasher.finalize().into()));
            }
            if let Some(data) = scanner.finish() {
                layer.captured.push(CapturedFile {
                    path: parts.join("/").into_boxed_str(),
                    data,
                });
            }
        } else if hash_data && wanted.is_none() {
            let mut hasher = HashingSink(Sha256::new());
            let n = io::copy(&mut (&mut entry).take(size), &mut hasher)
                .map_err(|e| tar_error(context, e))?;
            if n < size {
                return Err(ImageError::invalid(
                    context,
                    format!("entry '{name}' declares {size} bytes but the data ends after {n}"),
                ));
            }
            consumed = size;
            content = Some(Content::Sha256(hasher.0.finalize().into()));
        }
        if wanted.is_some() {
            let mut data = Vec::with_capacity(size as usize);
            (&mut entry)
                .take(size)
                .read_to_end(&mut data)
                .map_err(|e| tar_error(context, e))?;
            if (data.len() as u64) < size {
                return Err(ImageError::invalid(
                    context,
                    format!(
                        "entry '{name}' declares {size} bytes but the data ends after {}",
                        data.len()
                    ),
                ));
            }
            consumed = size;
            if hash_data {
                content = Some(Content::Sha256(Sha256::digest(&data).into()));
            }
            let data = capture.expect("wanted implies capture").keep(&parts, data);
            layer.captured.push(CapturedFile {
                path: parts.join("/").into_boxed_str(),
                data,
            });
        }
        if let Some(content) = content {
            layer.digests.push(FileDigest {
                path: parts.join("/").into_boxed_str(),
                content,
            });
        }
        if let Some(len) = seek_len {
            let end = entry.raw_file_position().saturating_add(size);
            if end > len && matches!(typeflag, b'0' | 0 | b'7') {
                return Err(ImageError::invalid(
                    context,
                    format!(
                        "entry '{name}' declares {size} bytes but the layer ends {} bytes in",
                        len.saturating_sub(entry.raw_file_position())
                    ),
                ));
            }
        } else if size > consumed {
            // Consume the data now so a short entry is reported against its own name.
            let n = io::copy(&mut (&mut entry).take(size - consumed), &mut io::sink())
                .map_err(|e| tar_error(context, e))?
                + consumed;
            if n < size {
                return Err(ImageError::invalid(
                    context,
                    format!("entry '{name}' declares {size} bytes but the data ends after {n}"),
                ));
            }
        }
    }
    layer.tree.shrink();
    Ok(layer)
}

/// Reads an entry's bytes into `scanner` until it wants no more (or to the end when they are
/// also hashed); returns how many bytes were read.
fn scan_entry(
    entry: &mut impl Read,
    size: u64,
    scanner: &mut dyn Scanner,
    mut hasher: Option<&mut Sha256>,
) -> io::Result<u64> {
    let mut buf = [0u8; 32 << 10];
    let mut read = 0u64;
    let mut scanning = scanner.wants_more();
    while read < size && (scanning || hasher.is_some()) {
        let want = buf.len().min((size - read) as usize);
        let n = match entry.read(&mut buf[..want]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        read += n as u64;
        if let Some(h) = hasher.as_deref_mut() {
            h.update(&buf[..n]);
        }
        if scanning {
            scanner.feed(&buf[..n]);
            scanning = scanner.wants_more();
        }
    }
    Ok(read)
}

/// Feeds a stream into a hash, so an entry's bytes pass through without being stored.
struct HashingSink(Sha256);

impl io::Write for HashingSink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn tar_error(context: &str, e: io::Error) -> ImageError {
    ImageError::io(format!("{context}: reading layer tar"), e)
}
