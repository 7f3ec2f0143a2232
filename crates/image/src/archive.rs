//! Image sources: docker-archive and oci-archive tarballs, OCI layout directories, and a
//! streamed `docker save` (from an engine). All end in the same [`Image`]: config plus one
//! metadata tree per layer, in order.
//!
//! Tarballs on disk are indexed first (headers only, data seeked over), then each layer blob
//! is read once, several in parallel. Streams are read in one pass; layer blobs are parsed as
//! they pass by and only their trees are kept until the manifest shows up.
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::analysis::{Analysis, AnalyzeOptions, Analyzer, FinalTree, LayerMeta};
use crate::config::{
    blob_path, DockerManifestEntry, ImageConfig, OciDescriptor, OciIndex, OciManifest,
};
use crate::error::{ImageError, Result};
use crate::layer::{
    clean_entry_name, read_layer, read_plain_layer_seekable, Compression, EntryBudget, LayerTree,
    Limits,
};

/// How the image was stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    DockerArchive,
    OciArchive,
    OciLayout,
    Engine,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::DockerArchive => "docker-archive",
            Format::OciArchive => "oci-archive",
            Format::OciLayout => "oci",
            Format::Engine => "docker-daemon",
        }
    }
}

/// One layer of an image.
#[derive(Clone, Debug)]
pub struct Layer {
    /// The uncompressed digest from the config's rootfs, when the config lists one per layer.
    pub diff_id: Option<String>,
    /// The blob's name in the source: a digest for OCI, a path for docker-archive.
    pub blob: String,
    /// Bytes of the blob as stored (compressed, if it is).
    pub blob_size: u64,
    pub tree: Arc<LayerTree>,
}

impl Layer {
    pub fn compression(&self) -> Compression {
        self.tree.compression.unwrap_or(Compression::None)
    }
}

/// A whole image, metadata only.
#[derive(Clone, Debug)]
pub struct Image {
    /// What the user named (path or reference).
    pub name: String,
    pub format: Format,
    pub repo_tags: Vec<String>,
    pub config: ImageConfig,
    pub layers: Vec<Layer>,
}

/// Progress callback: called with the number of newly read source bytes.
pub type Progress<'a> = &'a (dyn Fn(u64) + Sync);

/// Options for reading.
#[derive(Clone, Copy, Default)]
pub struct ReadOptions<'a> {
    pub limits: Limits,
    pub progress: Option<Progress<'a>>,
}

/// Where an image comes from, as the user wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A tarball; docker-archive or oci-archive is decided by its contents.
    Archive(PathBuf),
    DockerArchive(PathBuf),
    OciArchive(PathBuf),
    OciLayout(PathBuf),
    /// An image in a running engine, by name or id.
    Engine(String),
}

impl Source {
    /// `docker-archive:PATH`, `oci-archive:PATH`, `oci:DIR`, `docker-daemon:NAME` /
    /// `docker://NAME`, an existing path (file or OCI layout dir), else an engine reference.
    pub fn parse(spec: &str) -> Source {
        let strip_ref = |p: &str| -> PathBuf {
            // skopeo-style `path:ref` suffixes select an image in multi-image archives; we read the first.
            let path = Path::new(p);
            if path.exists() {
                return path.to_path_buf();
            }
            match p.rsplit_once(':') {
                Some((head, _)) if Path::new(head).exists() => PathBuf::from(head),
                _ => path.to_path_buf(),
            }
        };
        if let Some(p) = spec.strip_prefix("docker-archive:") {
            return Source::DockerArchive(strip_ref(p));
        }
        if let Some(p) = spec.strip_prefix("oci-archive:") {
            return Source::OciArchive(strip_ref(p));
        }
        if let Some(p) = spec.strip_prefix("oci:") {
            return Source::OciLayout(strip_ref(p));
        }
        for prefix in ["docker-daemon:", "docker://", "podman://", "engine:"] {
            if let Some(r) = spec.strip_prefix(prefix) {
                return Source::Engine(r.to_string());
            }
        }
        let path = Path::new(spec);
        if path.is_dir() {
            return Source::OciLayout(path.to_path_buf());
        }
        if path.exists()
            || spec.ends_with(".tar")
            || spec.contains('/') && !spec.contains(':') && path.extension().is_some()
        {
            return Source::Archive(path.to_path_buf());
        }
        Source::Engine(spec.to_string())
    }
}

/// Reads an image from a file-system source. Engine sources go through [`crate::engine`].
pub fn open_path(source: &Source, opts: &ReadOptions<'_>) -> Result<Image> {
    match source {
        Source::Archive(p) | Source::DockerArchive(p) | Source::OciArchive(p) => {
            let store = TarStore::open(p, opts)?;
            let want = match source {
                Source::DockerArchive(_) => Some(Format::DockerArchive),
                Source::OciArchive(_) => Some(Format::OciArchive),
                _ => None,
            };
            assemble(&store, &p.display().to_string(), want, opts)
        }
        Source::OciLayout(p) => {
            let store = DirStore { root: p.clone() };
            assemble(
                &store,
                &p.display().to_string(),
                Some(Format::OciLayout),
                opts,
            )
        }
        Source::Engine(r) => Err(ImageError::invalid(r.clone(), "not a file-system source")),
    }
}

/// Reads an image from a `docker save` style stream in one pass.
pub fn read_stream(reader: impl Read, name: &str, opts: &ReadOptions<'_>) -> Result<Image> {
    let store = StreamStore::read(reader, name, opts)?;
    let mut img = assemble(&store, name, None, opts)?;
    img.format = Format::Engine;
    Ok(img)
}

/// What `assemble` needs from a source.
trait Store: Sync {
    fn has(&self, name: &str) -> bool;
    /// Follows symlinks (docker-archive may link duplicate layers) to the real entry name.
    fn resolve(&self, name: &str) -> Result<String>;
    fn read_small(&self, name: &str, limits: &Limits) -> Result<Vec<u8>>;
    fn size(&self, name: &str) -> u64;
    fn layer(
        &self,
        name: &str,
        opts: &ReadOptions<'_>,
        budget: &EntryBudget,
    ) -> Result<Arc<LayerTree>>;
    fn context(&self) -> &str;
}

fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8], ctx: &str, what: &str) -> Result<T> {
    serde_json::from_slice(bytes)
        .map_err(|e| ImageError::invalid(ctx, format!("{what} is not valid: {e}")))
}

fn plan(store: &dyn Store, want: Option<Format>, opts: &ReadOptions<'_>) -> Result<Plan> {
    let ctx = store.context().to_string();
    let is_oci = store.has("index.json");
    let is_docker = store.has("manifest.json");
    // Docker >= 25 writes both; like dive we prefer manifest.json unless OCI was asked for.
    let use_docker = match want {
        Some(Format::DockerArchive) => true,
        Some(Format::OciArchive) | Some(Format::OciLayout) => !is_oci && is_docker,
        _ => is_docker,
    };
    let (format, config_name, layer_names, repo_tags) = if use_docker {
        if !is_docker {
            return Err(ImageError::invalid(
                &ctx,
                "not a docker-archive: manifest.json is missing",
            ));
        }
        let bytes = store.read_small("manifest.json", &opts.limits)?;
        let entries: Vec<DockerManifestEntry> = parse_json(&bytes, &ctx, "manifest.json")?;
        let first = entries
            .into_iter()
            .next()
            .ok_or_else(|| ImageError::invalid(&ctx, "manifest.json lists no image"))?;
        (
            Format::DockerArchive,
            first.config,
            first.layers,
            first.repo_tags.unwrap_or_default(),
        )
    } else if is_oci {
        let bytes = store.read_small("index.json", &opts.limits)?;
        let index: OciIndex = parse_json(&bytes, &ctx, "index.json")?;
        let mut desc: OciDescriptor = index
            .manifests
            .into_iter()
            .next()
            .ok_or_else(|| ImageError::invalid(&ctx, "index.json lists no manifest"))?;
        let mut tags = Vec::new();
        if let Some(r) = desc
            .annotations
            .as_ref()
            .and_then(|a| a.get("org.opencontainers.image.ref.name"))
        {
            tags.push(r.clone());
        }
        let mut depth = 0;
        let manifest = loop {
            let path = descriptor_path(&desc, &ctx)?;
            let bytes = store.read_small(&path, &opts.limits)?;
            let m: OciManifest = parse_json(&bytes, &ctx, &format!("manifest {}", desc.digest))?;
            if m.config.is_none() && !m.manifests.is_empty() {
                depth += 1;
                if depth > 4 {
                    return Err(ImageError::invalid(
                        &ctx,
                        "image indexes nested more than 4 deep",
                    ));
                }
                desc = m.manifests.into_iter().next().expect("non-empty");
                continue;
            }
            break m;
        };
        let _ = &manifest.media_type;
        let config = manifest.config.as_ref().ok_or_else(|| {
            ImageError::invalid(&ctx, format!("manifest {} has no config", desc.digest))
        })?;
        let config_name = descriptor_path(config, &ctx)?;
        let layers = manifest
            .layers
            .iter()
            .map(|l| descriptor_path(l, &ctx))
            .collect::<Result<Vec<_>>>()?;
        let format = if want == Some(Format::OciLayout) {
            Format::OciLayout
        } else {
            Format::OciArchive
        };
        (format, config_name, layers, tags)
    } else {
        return Err(ImageError::invalid(
            &ctx,
            "not an image: neither manifest.json (docker-archive) nor index.json (OCI) found",
        ));
    };

    let config_real = store.resolve(&config_name).map_err(|e| {
        missing(
            e,
            &ctx,
            &format!("the manifest names config '{config_name}'"),
        )
    })?;
    let config: ImageConfig = parse_json(
        &store.read_small(&config_real, &opts.limits)?,
        &ctx,
        "image config",
    )?;

    let mut real_names = Vec::with_capacity(layer_names.len());
    for l in &layer_names {
        let real = store
            .resolve(l)
            .map_err(|e| missing(e, &ctx, &format!("the manifest names layer '{l}'")))?;
        real_names.push(real);
    }
    Ok(Plan {
        format,
        config,
        repo_tags,
        layer_names,
        real_names,
    })
}

/// What the manifest says, before any layer is read.
struct Plan {
    format: Format,
    config: ImageConfig,
    repo_tags: Vec<String>,
    layer_names: Vec<String>,
    real_names: Vec<String>,
}

impl Plan {
    fn diff_id(&self, i: usize) -> Option<String> {
        let d = &self.config.rootfs.diff_ids;
        (d.len() == self.layer_names.len()).then(|| d[i].clone())
    }
}

fn assemble(
    store: &dyn Store,
    name: &str,
    want: Option<Format>,
    opts: &ReadOptions<'_>,
) -> Result<Image> {
    let plan = plan(store, want, opts)?;
    let mut unique: Vec<&String> = plan
        .real_names
        .iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    unique.sort();
    let budget = EntryBudget::default();
    let trees: Vec<(String, Arc<LayerTree>)> = unique
        .par_iter()
        .map(|n| store.layer(n, opts, &budget).map(|t| ((*n).clone(), t)))
        .collect::<Result<Vec<_>>>()?;
    let trees: HashMap<String, Arc<LayerTree>> = trees.into_iter().collect();
    let layers = (0..plan.layer_names.len())
        .map(|i| Layer {
            diff_id: plan.diff_id(i),
            blob: plan.layer_names[i].clone(),
            blob_size: store.size(&plan.real_names[i]),
            tree: trees[&plan.real_names[i]].clone(),
        })
        .collect();
    Ok(Image {
        name: name.to_string(),
        format: plan.format,
        repo_tags: plan.repo_tags,
        config: plan.config,
        layers,
    })
}

/// Reads and analyses an image in one go with bounded memory: layer N+1 is read (on another
/// thread) while layer N is analysed, and each layer's tree is dropped once stacked.
pub fn analyze_source(
    spec: &str,
    opts: &ReadOptions<'_>,
    aopts: &AnalyzeOptions,
) -> Result<(Analysis, FinalTree)> {
    let source = Source::parse(spec);
    let (store, name, want): (Box<dyn Store>, String, Option<Format>) = match &source {
        Source::Engine(reference) => {
            let image = crate::engine::export(reference, opts)?;
            return Ok(crate::analysis::analyze_owned(image, aopts));
        }
        Source::Archive(p) => (
            Box::new(TarStore::open(p, opts)?),
            p.display().to_string(),
            None,
        ),
        Source::DockerArchive(p) => (
            Box::new(TarStore::open(p, opts)?),
            p.display().to_string(),
            Some(Format::DockerArchive),
        ),
        Source::OciArchive(p) => (
            Box::new(TarStore::open(p, opts)?),
            p.display().to_string(),
            Some(Format::OciArchive),
        ),
        Source::OciLayout(p) => (
            Box::new(DirStore { root: p.clone() }),
            p.display().to_string(),
            Some(Format::OciLayout),
        ),
    };
    let store: &dyn Store = &*store;
    let plan = plan(store, want, opts)?;
    let n = plan.real_names.len();
    // A blob named twice (docker save links duplicate layers) is read once and kept until its
    // last use.
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for r in &plan.real_names {
        *uses.entry(r.as_str()).or_default() += 1;
    }
    let budget = EntryBudget::default();
    let mut analyzer = Analyzer::new(plan.config.history.clone());
    std::thread::scope(|scope| -> Result<()> {
        let read = |i: usize| store.layer(&plan.real_names[i], opts, &budget);
        let mut kept: HashMap<&str, Arc<LayerTree>> = HashMap::new();
        let mut next = (n > 0).then(|| scope.spawn(move || read(0)));
        for i in 0..n {
            let real = plan.real_names[i].as_str();
            let tree = match kept.get(real) {
                Some(t) => t.clone(),
                None => next
                    .take()
                    .expect("the reader for this layer was started")
                    .join()
                    .map_err(|_| ImageError::invalid(real, "layer reader panicked"))??,
            };
            let left = uses.get_mut(real).expect("counted");
            *left -= 1;
            if *left > 0 {
                kept.insert(real, tree.clone());
            } else {
                kept.remove(real);
            }
            // Read the next layer while this one is analysed.
            if i + 1 < n && !kept.contains_key(plan.real_names[i + 1].as_str()) {
                next = Some(scope.spawn(move || read(i + 1)));
            }
            let meta = LayerMeta {
                diff_id: plan.diff_id(i),
                blob: plan.layer_names[i].clone(),
                blob_size: store.size(real),
            };
            let owned = Arc::try_unwrap(tree).unwrap_or_else(|shared| (*shared).clone());
            analyzer.push(meta, owned);
        }
        Ok(())
    })?;
    Ok(analyzer.finish(&name, plan.format, &plan.repo_tags, aopts))
}
fn missing(e: ImageError, ctx: &str, what: &str) -> ImageError {
    match e {
        ImageError::Invalid { message, .. } => {
            ImageError::invalid(ctx, format!("{what}, but {message}"))
        }
        other => other,
    }
}

fn descriptor_path(d: &OciDescriptor, ctx: &str) -> Result<String> {
    blob_path(&d.digest)
        .ok_or_else(|| ImageError::invalid(ctx, format!("malformed digest '{}'", d.digest)))
}

// ---------------------------------------------------------------------------------------
// Tarball on disk

#[derive(Clone, Debug)]
struct OuterEntry {
    offset: u64,
    size: u64,
    typeflag: u8,
    link: Option<String>,
}

struct TarStore {
    path: PathBuf,
    ctx: String,
    entries: HashMap<String, OuterEntry>,
}

/// Normalises an archive member name ("./manifest.json" -> "manifest.json").
fn member_name(raw: &str, ctx: &str, limits: &Limits) -> Result<Option<String>> {
    Ok(clean_entry_name(raw, ctx, limits)?.map(|p| p.join("/")))
}

impl TarStore {
    fn open(path: &Path, opts: &ReadOptions<'_>) -> Result<TarStore> {
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

/// Follows member symlinks and hard links; loops and dangling links are errors.
fn resolve_links(
    name: &str,
    lookup: impl Fn(&str) -> Option<(u8, Option<String>)>,
) -> Result<String, String> {
    let mut current = name.to_string();
    let mut seen = HashSet::new();
    loop {
        let Some((typeflag, link)) = lookup(&current) else {
            return Err(if current == name {
                format!("'{name}' is not in the archive")
            } else {
                format!("'{name}' links to '{current}', which is not in the archive")
            });
        };
        if !seen.insert(current.clone()) || seen.len() > 40 {
            return Err(format!("'{name}' is part of a symlink loop"));
        }
        match typeflag {
            b'2' | b'1' => {
                let target = link.unwrap_or_default();
                let joined = if typeflag == b'2' && !target.starts_with('/') {
                    match current.rsplit_once('/') {
                        Some((dir, _)) => format!("{dir}/{target}"),
                        None => target,
                    }
                } else {
                    target
                };
                // Normalise ".." within the archive; climbing above its root is an error.
                let mut parts: Vec<&str> = Vec::new();
                for p in joined.split('/') {
                    match p {
                        "" | "." => {}
                        ".." => {
                            if parts.pop().is_none() {
                                return Err(format!("'{name}' links outside the archive"));
                            }
                        }
                        p => parts.push(p),
                    }
                }
                current = parts.join("/");
            }
            b'0' | 0 | b'7' => return Ok(current),
            _ => return Err(format!("'{current}' is not a regular file")),
        }
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
        let mut magic = [0u8; 4];
        let n = self
            .reader(name)?
            .read(&mut magic)
            .map_err(|err| ImageError::io(&ctx, err))?;
        let compressed =
            n >= 2 && magic[..2] == [0x1f, 0x8b] || n == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd];
        if !compressed {
            // Plain tar on disk: read headers only and seek over file data.
            let f = File::open(&self.path).map_err(|err| ImageError::io(&self.ctx, err))?;
            let slice = FileSlice {
                file: f,
                start: e.offset,
                len: e.size,
                pos: 0,
            };
            let tree = read_plain_layer_seekable(slice, e.size, &ctx, &opts.limits, budget)?;
            if let Some(p) = opts.progress {
                p(e.size);
            }
            return Ok(Arc::new(tree));
        }
        let reader = ProgressReader {
            inner: self.reader(name)?,
            progress: opts.progress,
        };
        read_layer(reader, &ctx, &opts.limits, budget).map(Arc::new)
    }
    fn context(&self) -> &str {
        &self.ctx
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

struct ProgressReader<'a, R> {
    inner: R,
    progress: Option<Progress<'a>>,
}

impl<R: Read> Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(p) = self.progress {
            p(n as u64);
        }
        Ok(n)
    }
}

// ---------------------------------------------------------------------------------------
// OCI layout directory

struct DirStore {
    root: PathBuf,
}

impl DirStore {
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
        read_layer(
            ProgressReader {
                inner: f,
                progress: opts.progress,
            },
            &ctx,
            &opts.limits,
            budget,
        )
        .map(Arc::new)
    }
    fn context(&self) -> &str {
        // Only used for messages; a leaked String would be simpler but this is called rarely.
        self.root.to_str().unwrap_or("OCI layout")
    }
}

// ---------------------------------------------------------------------------------------
// One-pass stream (docker save over the engine API)

enum StreamItem {
    Json(Vec<u8>),
    Layer(Arc<LayerTree>, u64),
    Link(u8, String),
    Other,
}

struct StreamStore {
    ctx: String,
    items: HashMap<String, StreamItem>,
}

impl StreamStore {
    fn read(reader: impl Read, name: &str, opts: &ReadOptions<'_>) -> Result<StreamStore> {
        let ctx = name.to_string();
        let budget = EntryBudget::default();
        let mut archive = tar::Archive::new(ProgressReader {
            inner: reader,
            progress: opts.progress,
        });
        let mut items = HashMap::new();
        for entry in archive.entries().map_err(|e| ImageError::io(&ctx, e))? {
            let mut entry =
                entry.map_err(|e| ImageError::io(format!("{ctx}: reading stream"), e))?;
            let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let Some(member) = member_name(&raw, &ctx, &opts.limits)? else {
                continue;
            };
            let typeflag = entry.header().entry_type().as_byte();
            let size = entry.size();
            let item = match typeflag {
                b'1' | b'2' => StreamItem::Link(
                    typeflag,
                    entry
                        .link_name_bytes()
                        .map(|l| String::from_utf8_lossy(&l).into_owned())
                        .unwrap_or_default(),
                ),
                b'0' | 0 | b'7' => {
                    // Sniff: JSON documents start with '{' or '['; everything else in a
                    // `docker save` stream is a layer blob.
                    let mut head = [0u8; 1];
                    let n = entry.read(&mut head).map_err(|e| ImageError::io(&ctx, e))?;
                    let is_json = n == 1 && (head[0] == b'{' || head[0] == b'[')
                        || member.ends_with(".json")
                        || member == "oci-layout"
                        || member == "repositories";
                    let layer_named = member.ends_with(".tar")
                        || member.ends_with(".tar.gz")
                        || member.ends_with(".tgz")
                        || member.starts_with("blobs/");
                    if !is_json && !layer_named {
                        // Legacy docker-archive extras (`<id>/VERSION`): neither JSON nor a layer.
                        io::copy(&mut entry, &mut io::sink())
                            .map_err(|e| ImageError::io(&ctx, e))?;
                        items.insert(member, StreamItem::Other);
                        continue;
                    }
                    if is_json {
                        if size > opts.limits.max_json_bytes {
                            return Err(ImageError::limit(
                                &ctx,
                                format!("'{member}' is {size} bytes, too big for a JSON document"),
                            ));
                        }
                        let mut buf = head[..n].to_vec();
                        entry
                            .read_to_end(&mut buf)
                            .map_err(|e| ImageError::io(&ctx, e))?;
                        StreamItem::Json(buf)
                    } else if n == 0 {
                        StreamItem::Layer(
                            Arc::new(LayerTree {
                                compression: Some(Compression::None),
                                ..Default::default()
                            }),
                            0,
                        )
                    } else {
                        let lctx = format!("{ctx}: layer {member}");
                        let tree = read_layer(
                            io::Cursor::new(head).chain(&mut entry),
                            &lctx,
                            &opts.limits,
                            &budget,
                        )?;
                        StreamItem::Layer(Arc::new(tree), size)
                    }
                }
                _ => StreamItem::Other,
            };
            items.insert(member, item);
        }
        Ok(StreamStore { ctx, items })
    }
}

impl Store for StreamStore {
    fn has(&self, name: &str) -> bool {
        self.items.contains_key(name)
    }
    fn resolve(&self, name: &str) -> Result<String> {
        resolve_links(name, |n| {
            self.items.get(n).map(|i| match i {
                StreamItem::Link(t, l) => (*t, Some(l.clone())),
                StreamItem::Other => (b'5', None),
                _ => (b'0', None),
            })
        })
        .map_err(|m| ImageError::invalid(&self.ctx, m))
    }
    fn read_small(&self, name: &str, _limits: &Limits) -> Result<Vec<u8>> {
        match self.items.get(&self.resolve(name)?) {
            Some(StreamItem::Json(b)) => Ok(b.clone()),
            _ => Err(ImageError::invalid(
                &self.ctx,
                format!("'{name}' is not a JSON document"),
            )),
        }
    }
    fn size(&self, name: &str) -> u64 {
        match self.items.get(name) {
            Some(StreamItem::Layer(_, s)) => *s,
            Some(StreamItem::Json(b)) => b.len() as u64,
            _ => 0,
        }
    }
    fn layer(
        &self,
        name: &str,
        _opts: &ReadOptions<'_>,
        _budget: &EntryBudget,
    ) -> Result<Arc<LayerTree>> {
        match self.items.get(name) {
            Some(StreamItem::Layer(t, _)) => Ok(t.clone()),
            _ => Err(ImageError::invalid(
                &self.ctx,
                format!("'{name}' is not a layer"),
            )),
        }
    }
    fn context(&self) -> &str {
        &self.ctx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_resolution() {
        let table: HashMap<&str, (u8, Option<String>)> = [
            ("a/layer.tar", (b'0', None)),
            ("b/layer.tar", (b'2', Some("../a/layer.tar".to_string()))),
            ("loop1", (b'2', Some("loop2".to_string()))),
            ("loop2", (b'2', Some("loop1".to_string()))),
            ("out", (b'2', Some("../../etc/passwd".to_string()))),
        ]
        .into_iter()
        .collect();
        let look = |n: &str| table.get(n).cloned();
        assert_eq!(resolve_links("b/layer.tar", look).unwrap(), "a/layer.tar");
        assert!(resolve_links("loop1", look)
            .unwrap_err()
            .contains("symlink loop"));
        assert!(resolve_links("out", look).unwrap_err().contains("outside"));
        assert!(resolve_links("nope", look)
            .unwrap_err()
            .contains("not in the archive"));
    }

    #[test]
    fn source_specs() {
        assert_eq!(
            Source::parse("docker-archive:/x/y.tar"),
            Source::DockerArchive("/x/y.tar".into())
        );
        assert_eq!(
            Source::parse("oci:/nowhere"),
            Source::OciLayout("/nowhere".into())
        );
        assert_eq!(
            Source::parse("python:3.11-slim"),
            Source::Engine("python:3.11-slim".into())
        );
        assert_eq!(
            Source::parse("docker://alpine"),
            Source::Engine("alpine".into())
        );
        assert_eq!(Source::parse("img.tar"), Source::Archive("img.tar".into()));
    }
}
