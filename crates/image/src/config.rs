//! The JSON documents of an image: docker-archive's manifest.json, OCI index/manifest,
//! and the image config (history, diff ids). Only the fields we use.
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
pub(crate) struct DockerManifestEntry {
    #[serde(rename = "Config")]
    pub config: String,
    #[serde(rename = "RepoTags", default)]
    pub repo_tags: Option<Vec<String>>,
    #[serde(rename = "Layers", default)]
    pub layers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // media type and size are parsed for completeness of error messages later
pub(crate) struct OciDescriptor {
    #[serde(rename = "mediaType", default)]
    pub media_type: String,
    pub digest: String,
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub annotations: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OciIndex {
    #[serde(default)]
    pub manifests: Vec<OciDescriptor>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct OciManifest {
    #[serde(rename = "mediaType", default)]
    pub media_type: String,
    pub config: Option<OciDescriptor>,
    #[serde(default)]
    pub layers: Vec<OciDescriptor>,
    /// Present when this "manifest" is in fact a nested index.
    #[serde(default)]
    pub manifests: Vec<OciDescriptor>,
}

/// One line of the image's build history.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct HistoryEntry {
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub empty_layer: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct RootFs {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct RuntimeConfig {
    #[serde(rename = "User", default)]
    pub user: Option<String>,
    #[serde(rename = "Env", default)]
    pub env: Option<Vec<String>>,
    #[serde(rename = "Entrypoint", default)]
    pub entrypoint: Option<Vec<String>>,
    #[serde(rename = "Cmd", default)]
    pub cmd: Option<Vec<String>>,
    #[serde(rename = "WorkingDir", default)]
    pub working_dir: Option<String>,
    /// `"8080/tcp": {}` entries; only the keys mean anything.
    #[serde(rename = "ExposedPorts", default, skip_serializing_if = "Option::is_none")]
    pub exposed_ports: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    #[serde(rename = "Volumes", default, skip_serializing_if = "Option::is_none")]
    pub volumes: Option<std::collections::BTreeMap<String, serde_json::Value>>,
    #[serde(rename = "Labels", default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<std::collections::BTreeMap<String, String>>,
    #[serde(rename = "Healthcheck", default, skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<serde_json::Value>,
    #[serde(rename = "StopSignal", default, skip_serializing_if = "Option::is_none")]
    pub stop_signal: Option<String>,
}

/// The image config document.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ImageConfig {
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub config: Option<RuntimeConfig>,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    #[serde(default)]
    pub rootfs: RootFs,
}

/// Checks an OCI digest and turns it into its blob path, refusing anything that could
/// name a file outside `blobs/`.
pub(crate) fn blob_path(digest: &str) -> Option<String> {
    let (alg, hex) = digest.split_once(':')?;
    let alg_ok = !alg.is_empty()
        && alg
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b));
    let hex_ok = !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    (alg_ok && hex_ok && !alg.contains("..")).then(|| format!("blobs/{alg}/{hex}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_paths_cannot_escape() {
        assert_eq!(
            blob_path("sha256:abc123").as_deref(),
            Some("blobs/sha256/abc123")
        );
        assert!(blob_path("sha256:../../etc/passwd").is_none());
        assert!(blob_path("../x:abc").is_none());
        assert!(blob_path("sha256").is_none());
    }
}
