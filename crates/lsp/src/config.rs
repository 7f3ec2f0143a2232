//! Which `.hadolint.yaml` applies to a document: the nearest one in the file's folder or a parent
//! folder, else hadolint's per-user locations. Files are read again only when they change.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use dockstage_lint::Config;

#[derive(Default)]
pub struct ConfigCache {
    loaded: HashMap<PathBuf, (Option<SystemTime>, Result<Arc<Config>, String>)>,
    default: Arc<Config>,
}

/// The configuration for a document, and the file it came from.
pub struct Resolved {
    pub config: Arc<Config>,
    pub file: Option<PathBuf>,
    /// A config file that could not be read: the error, to show once.
    pub error: Option<String>,
}

impl ConfigCache {
    pub fn for_document(&mut self, path: Option<&Path>) -> Resolved {
        let Some(file) = path.and_then(Path::parent).and_then(find_for_folder) else {
            return Resolved { config: self.default.clone(), file: None, error: None };
        };
        let mtime = std::fs::metadata(&file).and_then(|m| m.modified()).ok();
        let fresh = self.loaded.get(&file).is_some_and(|(t, _)| *t == mtime && mtime.is_some());
        if !fresh {
            let parsed = std::fs::read_to_string(&file)
                .map_err(|e| e.to_string())
                .and_then(|text| Config::from_yaml(&text))
                .map(Arc::new)
                .map_err(|e| format!("{}: {e}", file.display()));
            self.loaded.insert(file.clone(), (mtime, parsed));
        }
        match &self.loaded[&file].1 {
            Ok(config) => Resolved { config: config.clone(), file: Some(file), error: None },
            Err(e) => Resolved { config: self.default.clone(), file: Some(file), error: Some(e.clone()) },
        }
    }
}

fn find_for_folder(folder: &Path) -> Option<PathBuf> {
    for dir in folder.ancestors() {
        for name in [".hadolint.yaml", ".hadolint.yml"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    dockstage_lint::config::find_config_file(folder)
}
