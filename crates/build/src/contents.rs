//! One built image read for comparison: dockstage-image's analysis and final file system,
//! plus fingerprints of the application's files (hashed while the layers stream by) and
//! which Debian package owns each file.
use std::collections::HashMap;
use std::path::Path;

use dockstage_image::analysis::{Analysis, AnalyzeOptions, Analyzer, FinalTree};
use dockstage_image::config::ImageConfig;
use dockstage_image::layer::{Capture, Content, LayerTree, Limits};
use dockstage_image::packages::PACKAGE_FILES;
use dockstage_image::source::{open_source, read_stream, LayerMeta, ReadOptions, Source};

use crate::app_paths::{settle_commands, AppPaths};
use crate::engine::Engine;
use crate::error::BuildError;

/// A dpkg file list is a few hundred KB at most; a bigger one is not a file list.
const MAX_DPKG_LIST_BYTES: u64 = 8 << 20;

/// What verify needs of one image.
pub struct ImageContents {
    pub analysis: Analysis,
    pub tree: FinalTree,
    pub config: ImageConfig,
    /// The application's files by comparison key (see [`AppPaths::key`]): where each is and
    /// what it holds, as the final file system shows it.
    pub app_files: HashMap<String, (String, Content)>,
    /// Absolute path to the Debian package that installed it.
    pub owners: HashMap<String, String>,
}

struct VerifyCapture<'a> {
    app: &'a AppPaths,
}

fn is_dpkg_list(parts: &[&str]) -> bool {
    parts.len() == 5
        && parts[..4] == ["var", "lib", "dpkg", "info"]
        && parts[4].ends_with(".list")
}

impl Capture for VerifyCapture<'_> {
    fn wants(&self, parts: &[&str]) -> Option<u64> {
        if is_dpkg_list(parts) {
            return Some(MAX_DPKG_LIST_BYTES);
        }
        PACKAGE_FILES.wants(parts)
    }
    fn keep(&self, parts: &[&str], data: Vec<u8>) -> Vec<u8> {
        if is_dpkg_list(parts) {
            return data;
        }
        PACKAGE_FILES.keep(parts, data)
    }
    fn digest(&self, parts: &[&str]) -> bool {
        self.app.key(parts).is_some()
    }
}

/// Reads a docker-archive (or any file-system source), streaming each layer once.
/// `app` is the original Dockerfile's paths; the image's own command is added to them.
pub fn read_image(archive: &Path, app: &AppPaths) -> Result<ImageContents, BuildError> {
    let plain = ReadOptions { limits: Limits::default(), progress: None, capture: None, registry: None };
    let opened = open_source(&Source::Archive(archive.to_path_buf()), &plain)?;
    let config = opened.config().clone();
    let app = &app.with_command(&config);
    let capture = VerifyCapture { app };
    let opts = ReadOptions { capture: Some(&capture), ..plain };
    let mut analyzer = Analyzer::new(config.history.clone());
    // Later layers replace earlier ones; whether a path survives is the final tree's call.
    let mut digests: HashMap<Box<str>, Content> = HashMap::new();
    let mut lists: HashMap<Box<str>, Vec<u8>> = HashMap::new();
    opened.for_each_layer(&opts, |meta, mut tree| {
        take_extras(&mut tree, &mut digests, &mut lists);
        analyzer.push(meta, tree);
    })?;
    let (analysis, tree) =
        analyzer.finish(opened.name(), opened.format(), opened.repo_tags(), &AnalyzeOptions { top: 20 });
    Ok(settle(analysis, tree, config, app, &digests, &lists))
}

/// The application's files as the final file system shows them, and the package owners.
fn settle(
    analysis: Analysis,
    tree: FinalTree,
    config: ImageConfig,
    app: &AppPaths,
    digests: &HashMap<Box<str>, Content>,
    lists: &HashMap<Box<str>, Vec<u8>>,
) -> ImageContents {
    let mut app_files = HashMap::new();
    let mut visible: Vec<String> = Vec::new();
    tree.walk_files(|parts, _| {
        if app.key(parts).is_some() {
            visible.push(parts.join("/"));
        }
    });
    for path in visible {
        let parts: Vec<&str> = path.split('/').collect();
        let key = app.key(&parts).expect("selected above");
        let content = resolve(digests, &path, 0);
        app_files.insert(key, (format!("/{path}"), content));
    }
    settle_commands(&mut app_files, app);
    let mut owners = HashMap::new();
    // Directories appear in many packages' lists: the first package by name keeps them, so
    // the map does not depend on hash order.
    let mut sorted: Vec<_> = lists.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (path, data) in sorted {
        let package = path
            .rsplit('/')
            .next()
            .and_then(|f| f.strip_suffix(".list"))
            .map(|p| p.split(':').next().unwrap_or(p).to_string())
            .unwrap_or_default();
        for line in String::from_utf8_lossy(data).lines() {
            if !line.is_empty() && line != "/." {
                owners.entry(line.to_string()).or_insert_with(|| package.clone());
            }
        }
    }
    ImageContents { analysis, tree, config, app_files, owners }
}

/// Reads an image straight out of `engine` (a `docker save` stream, nothing written to disk).
pub fn read_from_engine(engine: &Engine, tag: &str, app: &AppPaths) -> Result<ImageContents, BuildError> {
    let runtime = engine.image_config(tag)?;
    let app = &app.with_command(&ImageConfig { config: Some(runtime), ..Default::default() });
    let capture = VerifyCapture { app };
    let opts = ReadOptions { limits: Limits::default(), progress: None, capture: Some(&capture), registry: None };
    let mut child = engine.export(tag)?;
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let read = read_stream(&mut stdout, tag, &opts);
    if read.is_err() {
        let _ = child.kill();
    } else {
        // The reader stops at the archive's end; the engine may still write padding after it,
        // and a closed pipe would fail its export.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
    }
    let status = child.wait().map_err(|e| BuildError::new(format!("export of {tag}: {e}")))?;
    let err = err_reader.join().unwrap_or_default();
    if !status.success() {
        return Err(BuildError::new(format!("export of {tag} failed ({status}): {}", err.trim())));
    }
    let image = read?;
    let config = image.config.clone();
    let mut digests: HashMap<Box<str>, Content> = HashMap::new();
    let mut lists: HashMap<Box<str>, Vec<u8>> = HashMap::new();
    let mut analyzer = Analyzer::new(config.history.clone());
    for layer in image.layers {
        let meta = LayerMeta::of(&layer);
        let mut tree = std::sync::Arc::try_unwrap(layer.tree).unwrap_or_else(|shared| (*shared).clone());
        take_extras(&mut tree, &mut digests, &mut lists);
        analyzer.push(meta, tree);
    }
    let (analysis, tree) = analyzer.finish(&image.name, image.format, &image.repo_tags, &AnalyzeOptions { top: 20 });
    Ok(settle(analysis, tree, config, app, &digests, &lists))
}

/// Moves a layer's fingerprints and dpkg file lists out of it (later layers replace earlier).
fn take_extras(tree: &mut LayerTree, digests: &mut HashMap<Box<str>, Content>, lists: &mut HashMap<Box<str>, Vec<u8>>) {
    for d in std::mem::take(&mut tree.digests) {
        digests.insert(d.path, d.content);
    }
    tree.captured.retain_mut(|f| {
        let parts: Vec<&str> = f.path.split('/').collect();
        if is_dpkg_list(&parts) {
            lists.insert(f.path.clone(), std::mem::take(&mut f.data));
            false
        } else {
            true
        }
    });
}

/// A hard link holds what its target holds.
fn resolve(digests: &HashMap<Box<str>, Content>, path: &str, depth: usize) -> Content {
    match digests.get(path) {
        Some(Content::HardLink(target)) if depth < 8 => {
            let t = target.trim_start_matches("./").trim_start_matches('/');
            resolve(digests, t, depth + 1)
        }
        Some(c) => c.clone(),
        None => Content::Other,
    }
}
