//! Image sources, the bottom layer of the crate: each one finds an image's manifest and config
//! and yields its layers, in order, as metadata trees ([`LayerTree`]). Nothing here knows about
//! the analysis; the analysis ([`crate::analysis`]) consumes what [`Opened`] yields.
//!
//! One file per source, each implementing [`Store`]:
//! * [`tar`]: docker-archive and oci-archive tarballs (indexed by headers, data seeked over);
//! * [`oci_dir`]: OCI layout directories;
//! * [`stream`]: a one-pass `docker save` stream (what an engine exports);
//! * [`engine`]: a running Docker-compatible engine, through [`stream`];
//! * [`registry`]: a registry, through the Distribution API v2.
pub mod engine;
pub mod oci_dir;
pub mod registry;
pub mod stream;
pub mod tar;
use std::collections::{HashMap, HashSet};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{
    blob_path, DockerManifestEntry, ImageConfig, OciDescriptor, OciIndex, OciManifest,
};
use crate::error::{ImageError, Result};
use crate::layer::{clean_entry_name, Capture, Compression, EntryBudget, LayerTree, Limits};
use self::oci_dir::DirStore;
use self::stream::StreamStore;
use self::tar::TarStore;

/// How the image was stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    DockerArchive,
    OciArchive,
    OciLayout,
    Engine,
    Registry,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::DockerArchive => "docker-archive",
            Format::OciArchive => "oci-archive",
            Format::OciLayout => "oci",
            Format::Engine => "docker-daemon",
            Format::Registry => "docker",
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
    /// Files whose contents the consumer wants (package databases), kept beside the trees.
    pub capture: Option<&'a dyn Capture>,
    /// How to reach registries (`docker://` sources); `None` = the defaults.
    pub registry: Option<&'a registry::RegistryOptions>,
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
    /// An image in a registry: `HOST[:PORT]/NAME[:TAG|@DIGEST]`.
    Registry(String),
}

impl Source {
    /// `docker-archive:PATH`, `oci-archive:PATH`, `oci:DIR`, `docker-daemon:NAME`,
    /// `docker://HOST/NAME` (a registry), an existing path (file or OCI layout dir), else an engine reference.
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
        if let Some(r) = spec.strip_prefix("docker://") {
            return Source::Registry(r.to_string());
        }
        for prefix in ["docker-daemon:", "podman://", "engine:"] {
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

/// Reads a whole image (every layer's tree kept) from any source.
pub fn open(spec: &str, opts: &ReadOptions<'_>) -> Result<Image> {
    open_source(&Source::parse(spec), opts)?.into_image(opts)
}

/// Reads an image from a file-system source.
pub fn open_path(source: &Source, opts: &ReadOptions<'_>) -> Result<Image> {
    match source {
        Source::Engine(r) | Source::Registry(r) => {
            Err(ImageError::invalid(r.clone(), "not a file-system source"))
        }
        other => open_source(other, opts)?.into_image(opts),
    }
}

/// Reads an image from a `docker save` style stream in one pass.
pub fn read_stream(reader: impl Read, name: &str, opts: &ReadOptions<'_>) -> Result<Image> {
    let store = StreamStore::read(reader, name, opts)?;
    let mut img = Opened::new(Box::new(store), name, None, opts)?.into_image(opts)?;
    img.format = Format::Engine;
    Ok(img)
}

/// Opens a source and reads its manifest and config; no layer is read yet.
pub fn open_source(source: &Source, opts: &ReadOptions<'_>) -> Result<Opened> {
    let name = |p: &Path| p.display().to_string();
    match source {
        Source::Archive(p) => Opened::new(Box::new(TarStore::open(p, opts)?), &name(p), None, opts),
        Source::DockerArchive(p) => Opened::new(
            Box::new(TarStore::open(p, opts)?),
            &name(p),
            Some(Format::DockerArchive),
            opts,
        ),
        Source::OciArchive(p) => Opened::new(
            Box::new(TarStore::open(p, opts)?),
            &name(p),
            Some(Format::OciArchive),
            opts,
        ),
        Source::OciLayout(p) => Opened::new(
            Box::new(DirStore::new(p.clone())),
            &name(p),
            Some(Format::OciLayout),
            opts,
        ),
        Source::Engine(reference) => {
            let store = engine::export(reference, opts)?;
            let mut opened = Opened::new(Box::new(store), &format!("docker-daemon:{reference}"), None, opts)?;
            opened.plan.format = Format::Engine;
            Ok(opened)
        }
        Source::Registry(reference) => Opened::new(
            Box::new(registry::RegistryStore::open(reference, opts)?),
            &format!("docker://{reference}"),
            Some(Format::OciLayout),
            opts,
        ),
    }
}

/// What a source must answer: named members (manifests, config, layer blobs) and layer trees.
/// A new source is one type implementing this; the analysis never sees it.
pub(crate) trait Store: Sync + Send {
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
    /// How many layers may be read at once besides the one being consumed. Local files: one
    /// (the disk is the limit, and every tree in flight costs memory); a registry: more,
    /// since each download waits on the network.
    fn read_ahead(&self) -> usize {
        1
    }
    /// Whether reading this layer costs little more than its tar headers (a plain tar in a
    /// file, whose data is seeked over). Such layers are read when needed on the consuming
    /// thread, not ahead on another: reading ahead would hold a second tree at once and give
    /// the reader thread its own malloc arena (about 1 MB of resident memory on the
    /// streamlit test image), for no time saved.
    fn reads_in_place(&self, _name: &str) -> bool {
        false
    }
    /// The format the source reports, when the manifest files do not tell.
    fn format(&self) -> Option<Format> {
        None
    }
}

/// What the analysis keeps of a layer besides its tree.
#[derive(Clone, Debug)]
pub struct LayerMeta {
    pub diff_id: Option<String>,
    pub blob: String,
    pub blob_size: u64,
}

impl LayerMeta {
    pub fn of(l: &Layer) -> LayerMeta {
        LayerMeta {
            diff_id: l.diff_id.clone(),
            blob: l.blob.clone(),
            blob_size: l.blob_size,
        }
    }
}

/// An opened source: its manifest and config are read; its layers are yielded on demand.
pub struct Opened {
    store: Box<dyn Store>,
    plan: Plan,
    name: String,
}

impl Opened {
    fn new(
        store: Box<dyn Store>,
        name: &str,
        want: Option<Format>,
        opts: &ReadOptions<'_>,
    ) -> Result<Opened> {
        let mut plan = plan(&*store, want, opts)?;
        if let Some(f) = store.format() {
            plan.format = f;
        }
        Ok(Opened {
            store,
            plan,
            name: name.to_string(),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn format(&self) -> Format {
        self.plan.format
    }
    pub fn repo_tags(&self) -> &[String] {
        &self.plan.repo_tags
    }
    pub fn config(&self) -> &ImageConfig {
        &self.plan.config
    }
    pub fn layer_count(&self) -> usize {
        self.plan.real_names.len()
    }

    /// Reads every layer, bottom first, and hands each to `consume` in order. Up to the
    /// source's read-ahead of later layers are read on other threads while `consume` works
    /// (except those the source reads in place: `Store::reads_in_place`), and a tree is
    /// dropped once consumed (unless the same blob comes again): peak memory is the
    /// consumer's state plus a few layers, not the whole image.
    pub fn for_each_layer(
        &self,
        opts: &ReadOptions<'_>,
        mut consume: impl FnMut(LayerMeta, LayerTree),
    ) -> Result<()> {
        let plan = &self.plan;
        let store: &dyn Store = &*self.store;
        let n = plan.real_names.len();
        let ahead = store.read_ahead().max(1);
        // A blob named twice (docker save links duplicate layers) is read once and kept until
        // its last use.
        let mut uses: HashMap<&str, usize> = HashMap::new();
        for r in &plan.real_names {
            *uses.entry(r.as_str()).or_default() += 1;
        }
        let budget = EntryBudget::default();
        let in_place: HashSet<&str> = plan
            .real_names
            .iter()
            .map(String::as_str)
            .filter(|r| store.reads_in_place(r))
            .collect();
        std::thread::scope(|scope| -> Result<()> {
            let read = |i: usize| store.layer(&plan.real_names[i], opts, &budget);
            let mut kept: HashMap<&str, Arc<LayerTree>> = HashMap::new();
            let mut running: HashMap<&str, std::thread::ScopedJoinHandle<'_, Result<Arc<LayerTree>>>> =
                HashMap::new();
            for i in 0..n {
                // Keep `ahead` reads in flight beyond the layer being consumed.
                for j in i..n.min(i + 1 + ahead) {
                    let real = plan.real_names[j].as_str();
                    if !in_place.contains(real) && !kept.contains_key(real) && !running.contains_key(real) {
                        running.insert(real, scope.spawn(move || read(j)));
                    }
                }
                let real = plan.real_names[i].as_str();
                let tree = match kept.get(real) {
                    Some(t) => t.clone(),
                    None if in_place.contains(real) => read(i)?,
                    None => running
                        .remove(real)
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
                let meta = LayerMeta {
                    diff_id: plan.diff_id(i),
                    blob: plan.layer_names[i].clone(),
                    blob_size: store.size(real),
                };
                let owned = Arc::try_unwrap(tree).unwrap_or_else(|shared| (*shared).clone());
                consume(meta, owned);
            }
            Ok(())
        })
    }

    /// Reads every layer (unique blobs in parallel) and keeps them all.
    pub fn into_image(self, opts: &ReadOptions<'_>) -> Result<Image> {
        let store: &dyn Store = &*self.store;
        let plan = self.plan;
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
            name: self.name,
            format: plan.format,
            repo_tags: plan.repo_tags,
            config: plan.config,
            layers,
        })
    }
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8], ctx: &str, what: &str) -> Result<T> {
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

fn missing(e: ImageError, ctx: &str, what: &str) -> ImageError {
    match e {
        ImageError::Invalid { message, .. } => {
            ImageError::invalid(ctx, format!("{what}, but {message}"))
        }
        other => other,
    }
}

pub(crate) fn descriptor_path(d: &OciDescriptor, ctx: &str) -> Result<String> {
    blob_path(&d.digest)
        .ok_or_else(|| ImageError::invalid(ctx, format!("malformed digest '{}'", d.digest)))
}

/// Normalises an archive member name ("./manifest.json" -> "manifest.json").
pub(crate) fn member_name(raw: &str, ctx: &str, limits: &Limits) -> Result<Option<String>> {
    Ok(clean_entry_name(raw, ctx, limits)?.map(|p| p.join("/")))
}

/// Follows member symlinks and hard links; loops and dangling links are errors.
pub(crate) fn resolve_links(
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

pub(crate) struct ProgressReader<'a, R> {
    pub(crate) inner: R,
    pub(crate) progress: Option<Progress<'a>>,
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
            Source::parse("docker://127.0.0.1:5000/alpine"),
            Source::Registry("127.0.0.1:5000/alpine".into())
        );
        assert_eq!(
            Source::parse("docker-daemon:alpine"),
            Source::Engine("alpine".into())
        );
        assert_eq!(Source::parse("img.tar"), Source::Archive("img.tar".into()));
    }
}
