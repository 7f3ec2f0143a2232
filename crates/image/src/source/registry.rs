//! Registries (`docker://HOST[:PORT]/NAME[:TAG|@DIGEST]`), through the Distribution API v2.
//!
//! The store resolves the reference to one image manifest (choosing the platform in a manifest
//! list or OCI index) and then presents the image as an OCI layout: a one-entry `index.json`
//! and `blobs/ALG/HEX` members fetched on demand. Layers are streamed from the network into the
//! layer reader and hashed on the way; nothing is written to disk. Several layers download at
//! once (the store's read-ahead), each on its own thread with its own connection.
//!
//! Auth: the `WWW-Authenticate` challenge is answered with basic credentials or by fetching a
//! bearer token from the realm it names. Credentials come from `--creds`, else the first auth
//! file that has the host: `REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`,
//! `$DOCKER_CONFIG/config.json` or `~/.docker/config.json` (the `auths` entries; credential
//! helpers are not run).
//!
//! TLS: the system roots plus the CA certificates (`*.crt`) of `--cert-dir`, else of
//! `/etc/containers/certs.d/HOST[:PORT]` or `/etc/docker/certs.d/HOST[:PORT]`. Plain HTTP is
//! used only when HTTPS fails and either `--tls-verify=false` was given or the host is a
//! loopback address (as Docker does for 127.0.0.0/8).
use std::collections::HashMap;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use super::{ProgressReader, ReadOptions, Store};
use crate::config::blob_path;
use crate::error::{ImageError, Result};
use crate::layer::{read_layer_with, EntryBudget, LayerTree, Limits};
use super::Format;

/// How to reach a registry; the defaults suit a public registry over HTTPS.
#[derive(Clone, Debug)]
pub struct RegistryOptions {
    /// `OS/ARCH[/VARIANT]` to pick from a manifest list; `None` = the host's (`linux/<arch>`).
    pub platform: Option<String>,
    /// `USER:PASSWORD`; overrides the auth files.
    pub creds: Option<String>,
    pub tls_verify: bool,
    /// A directory of CA certificates (`*.crt`) trusted besides the system roots.
    pub cert_dir: Option<PathBuf>,
    /// How long to wait for a connection or for the next bytes of an answer.
    pub timeout: Duration,
    /// How many layers download at once.
    pub parallel: usize,
}

impl Default for RegistryOptions {
    fn default() -> Self {
        RegistryOptions {
            platform: None,
            creds: None,
            tls_verify: true,
            cert_dir: None,
            timeout: Duration::from_secs(30),
            parallel: 3,
        }
    }
}

const MT_OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const MT_DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
const MT_OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const MT_DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";

/// A parsed `HOST[:PORT]/NAME[:TAG|@DIGEST]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub host: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl Reference {
    /// Parses what follows `docker://`. A first component without '.', ':' or "localhost" is a
    /// Docker Hub name, as in `docker pull`.
    pub fn parse(spec: &str) -> std::result::Result<Reference, String> {
        let (rest, digest) = match spec.split_once('@') {
            Some((r, d)) => {
                if blob_path(d).is_none() {
                    return Err(format!("'{d}' is not a digest (ALGORITHM:HEX)"));
                }
                (r, Some(d.to_string()))
            }
            None => (spec, None),
        };
        let (name, tag) = match rest.rsplit_once(':') {
            Some((n, t)) if !t.contains('/') => (n, Some(t.to_string())),
            _ => (rest, None),
        };
        let (host, repository) = match name.split_once('/') {
            Some((h, r)) if h.contains('.') || h.contains(':') || h == "localhost" => {
                (h.to_string(), r.to_string())
            }
            _ if name.contains('/') => ("registry-1.docker.io".to_string(), name.to_string()),
            _ => ("registry-1.docker.io".to_string(), format!("library/{name}")),
        };
        let host = if host == "docker.io" || host == "index.docker.io" {
            "registry-1.docker.io".to_string()
        } else {
            host
        };
        if host.is_empty() || host.contains(['/', '@', '?', '#', ' ']) {
            return Err(format!("'{host}' is not a registry host"));
        }
        let repo_ok = !repository.is_empty()
            && repository.split('/').all(|c| {
                !c.is_empty()
                    && c.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b)
                    })
            });
        if !repo_ok {
            return Err(format!(
                "'{repository}' is not a repository name (lowercase letters, digits, '.', '_', '-', '/')"
            ));
        }
        if let Some(t) = &tag {
            let ok = !t.is_empty()
                && t.len() <= 128
                && t.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
            if !ok {
                return Err(format!("'{t}' is not a tag"));
            }
        }
        let tag = if tag.is_none() && digest.is_none() {
            Some("latest".to_string())
        } else {
            tag
        };
        Ok(Reference {
            host,
            repository,
            tag,
            digest,
        })
    }

    fn manifest_ref(&self) -> &str {
        self.digest
            .as_deref()
            .or(self.tag.as_deref())
            .unwrap_or("latest")
    }
}

/// The parts of a manifest or index the store needs.
#[derive(serde::Deserialize)]
struct Manifest {
    #[serde(rename = "mediaType", default)]
    media_type: String,
    #[serde(rename = "schemaVersion", default)]
    schema_version: u32,
    #[serde(default)]
    config: Option<Descriptor>,
    #[serde(default)]
    layers: Vec<Descriptor>,
    #[serde(default)]
    manifests: Vec<Descriptor>,
}

#[derive(serde::Deserialize, Clone)]
struct Descriptor {
    digest: String,
    #[serde(default)]
    size: u64,
    #[serde(default)]
    platform: Option<Platform>,
}

#[derive(serde::Deserialize, Clone)]
struct Platform {
    #[serde(default)]
    os: String,
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    variant: Option<String>,
}

impl Platform {
    fn show(&self) -> String {
        match &self.variant {
            Some(v) if !v.is_empty() => format!("{}/{}/{v}", self.os, self.architecture),
            _ => format!("{}/{}", self.os, self.architecture),
        }
    }
}

/// The platform this program runs on, in OCI's words.
pub fn host_platform() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "x86" => "386",
        "powerpc64" if cfg!(target_endian = "little") => "ppc64le",
        other => other,
    };
    format!("linux/{arch}")
}

/// Parses the JSON of a manifest, image manifest or index, as fetched: for fuzzing and tests.
pub fn check_manifest(bytes: &[u8]) -> std::result::Result<(), String> {
    let m: Manifest = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    classify(&m, "").map(|_| ())
}

enum Kind {
    Index,
    Image,
}

fn classify(m: &Manifest, content_type: &str) -> std::result::Result<Kind, String> {
    let mt = if m.media_type.is_empty() {
        content_type.split(';').next().unwrap_or("").trim()
    } else {
        m.media_type.as_str()
    };
    if m.schema_version == 1 || mt.contains("distribution.manifest.v1") {
        return Err("schema 1 manifests are not supported (deprecated since 2017)".into());
    }
    let looks_index = mt == MT_OCI_INDEX || mt == MT_DOCKER_LIST || (m.config.is_none() && !m.manifests.is_empty());
    if looks_index {
        return Ok(Kind::Index);
    }
    if m.config.is_none() {
        return Err(format!("the manifest has no config (media type '{mt}')"));
    }
    for d in m.config.iter().chain(&m.layers) {
        if blob_path(&d.digest).is_none() {
            return Err(format!("malformed digest '{}'", d.digest));
        }
    }
    Ok(Kind::Image)
}

/// Picks `want` (`OS/ARCH[/VARIANT]`) from an index's entries.
fn pick_platform<'m>(manifests: &'m [Descriptor], want: &str) -> std::result::Result<&'m Descriptor, String> {
    let mut parts = want.split('/');
    let (os, arch, variant) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next(),
    );
    let found = manifests.iter().filter(|d| {
        d.platform.as_ref().is_some_and(|p| {
            p.os == os
                && p.architecture == arch
                && variant.is_none_or(|v| p.variant.as_deref() == Some(v))
        })
    });
    // Without a variant, prefer the entry without one (or arm64's v8) over others.
    let mut best: Option<&Descriptor> = None;
    for d in found {
        let v = d.platform.as_ref().and_then(|p| p.variant.as_deref());
        if best.is_none() || v.is_none() || v == Some("v8") {
            best = Some(d);
            if v.is_none() {
                break;
            }
        }
    }
    best.ok_or_else(|| {
        let have: Vec<String> = manifests
            .iter()
            .filter_map(|d| d.platform.as_ref().map(Platform::show))
            .collect();
        format!(
            "no image for platform {want} in the manifest list; it has {}",
            if have.is_empty() { "no platforms".to_string() } else { have.join(", ") }
        )
    })
}

/// An HTTP client for one repository: base URL, credentials and the current authorization.
struct Client {
    agent: ureq::Agent,
    base: String,
    reference: Reference,
    creds: Option<(String, String)>,
    authorization: Mutex<Option<String>>,
    ctx: String,
    timeout: Duration,
}

/// Why a request failed: the registry's answer, or no answer.
enum Failure {
    Status(u16, String),
    Transport(String),
}

impl Client {
    fn failure(&self, e: ureq::Error) -> Failure {
        match e {
            ureq::Error::Status(code, resp) => Failure::Status(code, registry_message(resp)),
            ureq::Error::Transport(t) => Failure::Transport(transport_message(&t, self.timeout)),
        }
    }

    // ureq's own error type, matched on by the caller right away; boxing it buys nothing.
    #[allow(clippy::result_large_err)]
    fn request(&self, url: &str, accept: Option<&str>) -> std::result::Result<ureq::Response, ureq::Error> {
        let mut req = self.agent.get(url);
        if let Some(a) = accept {
            req = req.set("Accept", a);
        }
        if let Some(auth) = self.authorization.lock().expect("not poisoned").clone() {
            req = req.set("Authorization", &auth);
        }
        req.call()
    }

    /// GET `path` under `/v2/NAME/`, answering one auth challenge.
    fn get(&self, path: &str, accept: Option<&str>) -> std::result::Result<ureq::Response, Failure> {
        let url = format!("{}/v2/{}/{path}", self.base, self.reference.repository);
        match self.request(&url, accept) {
            Ok(r) => Ok(r),
            Err(ureq::Error::Status(401, resp)) => {
                let challenge = resp.header("WWW-Authenticate").unwrap_or("").to_string();
                let message = registry_message(resp);
                self.authenticate(&challenge, &message)?;
                self.request(&url, accept).map_err(|e| match self.failure(e) {
                    Failure::Status(401, m) => Failure::Status(
                        401,
                        format!("authentication failed: {m}{}", self.creds_hint()),
                    ),
                    other => other,
                })
            }
            Err(e) => Err(self.failure(e)),
        }
    }

    fn creds_hint(&self) -> &'static str {
        if self.creds.is_none() {
            " (no credentials for this registry: use --creds or an auth file)"
        } else {
            ""
        }
    }

    fn authenticate(&self, challenge: &str, message: &str) -> std::result::Result<(), Failure> {
        let (scheme, params) = parse_challenge(challenge);
        let header = match scheme.to_ascii_lowercase().as_str() {
            "basic" => {
                let Some((u, p)) = &self.creds else {
                    return Err(Failure::Status(
                        401,
                        format!("authentication required: {message}{}", self.creds_hint()),
                    ));
                };
                basic(u, p)
            }
            "bearer" => {
                let realm = params.get("realm").cloned().unwrap_or_default();
                if !realm.starts_with("http://") && !realm.starts_with("https://") {
                    return Err(Failure::Status(
                        401,
                        format!("the registry's token realm '{realm}' is not an http(s) URL"),
                    ));
                }
                let scope = params.get("scope").cloned().unwrap_or_else(|| {
                    format!("repository:{}:pull", self.reference.repository)
                });
                let mut req = self.agent.get(&realm).query("scope", &scope);
                if let Some(s) = params.get("service") {
                    req = req.query("service", s);
                }
                if let Some((u, p)) = &self.creds {
                    req = req.set("Authorization", &basic(u, p));
                }
                let resp = req.call().map_err(|e| match self.failure(e) {
                    Failure::Status(code, m) => Failure::Status(
                        code,
                        format!("the token server {realm} refused: {m}{}", self.creds_hint()),
                    ),
                    Failure::Transport(m) => Failure::Transport(format!("token server {realm}: {m}")),
                })?;
                let mut body = Vec::new();
                resp.into_reader()
                    .take(1 << 20)
                    .read_to_end(&mut body)
                    .map_err(|e| Failure::Transport(format!("token server {realm}: {e}")))?;
                #[derive(serde::Deserialize)]
                struct Token {
                    token: Option<String>,
                    access_token: Option<String>,
                }
                let t: Token = serde_json::from_slice(&body).map_err(|e| {
                    Failure::Transport(format!("token server {realm} answered no token: {e}"))
                })?;
                match t.token.or(t.access_token) {
                    Some(t) if !t.is_empty() => format!("Bearer {t}"),
                    _ => {
                        return Err(Failure::Transport(format!(
                            "token server {realm} answered no token"
                        )))
                    }
                }
            }
            _ => {
                return Err(Failure::Status(
                    401,
                    format!("authentication required with an unsupported scheme '{challenge}': {message}"),
                ))
            }
        };
        *self.authorization.lock().expect("not poisoned") = Some(header);
        Ok(())
    }

    fn error(&self, what: &str, f: Failure) -> ImageError {
        match f {
            Failure::Status(code, m) => ImageError::invalid(&self.ctx, format!("{what}: {m} (HTTP {code})")),
            Failure::Transport(m) => ImageError::io(&self.ctx, io::Error::other(format!("{what}: {m}"))),
        }
    }
}

fn basic(user: &str, pass: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

/// `Bearer realm="...",service="...",scope="..."` into its scheme and parameters.
pub fn parse_challenge(h: &str) -> (String, HashMap<String, String>) {
    let h = h.trim();
    let (scheme, rest) = h.split_once(' ').unwrap_or((h, ""));
    let mut params = HashMap::new();
    let mut s = rest.trim();
    while !s.is_empty() {
        let Some((key, after)) = s.split_once('=') else { break };
        let key = key.trim().trim_start_matches(',').trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = q.char_indices();
            let mut end = q.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, c2)) = chars.next() {
                            value.push(c2);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => value.push(c),
                }
            }
            (value, &q[end.min(q.len())..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        params.insert(key, value);
        s = next.trim_start().trim_start_matches(',').trim_start();
    }
    (scheme.to_string(), params)
}

/// The registry's error document (`{"errors":[{"code","message"}]}`), else the status text.
fn registry_message(resp: ureq::Response) -> String {
    let status = resp.status_text().to_string();
    let mut body = Vec::new();
    let _ = resp.into_reader().take(64 << 10).read_to_end(&mut body);
    #[derive(serde::Deserialize)]
    struct Errors {
        errors: Vec<RegistryError>,
    }
    #[derive(serde::Deserialize)]
    struct RegistryError {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    match serde_json::from_slice::<Errors>(&body) {
        Ok(e) if !e.errors.is_empty() => e
            .errors
            .iter()
            .map(|e| {
                if e.message.is_empty() {
                    e.code.clone()
                } else {
                    format!("{} ({})", e.message, e.code)
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        _ => status,
    }
}

fn transport_message(t: &ureq::Transport, timeout: Duration) -> String {
    let timed_out = std::error::Error::source(t)
        .and_then(|s| s.downcast_ref::<io::Error>())
        .is_some_and(|e| matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock))
        || t.to_string().contains("timed out");
    if timed_out {
        format!("no answer within {}s (timed out)", timeout.as_secs_f64())
    } else {
        t.to_string()
    }
}

fn is_timeout(m: &str) -> bool {
    m.ends_with("(timed out)")
}

/// The credentials the auth files hold for `host`.
fn file_creds(host: &str) -> Option<(String, String)> {
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(f) = std::env::var_os("REGISTRY_AUTH_FILE") {
        files.push(f.into());
    }
    if let Some(d) = std::env::var_os("XDG_RUNTIME_DIR") {
        files.push(Path::new(&d).join("containers/auth.json"));
    }
    if let Some(d) = std::env::var_os("DOCKER_CONFIG") {
        files.push(Path::new(&d).join("config.json"));
    } else if let Some(h) = std::env::var_os("HOME") {
        files.push(Path::new(&h).join(".docker/config.json"));
    }
    for f in files {
        let Ok(bytes) = std::fs::read(&f) else { continue };
        if let Some(c) = auths_lookup(&bytes, host) {
            return Some(c);
        }
    }
    None
}

/// Finds `host` in an auth file's `auths` (keys may carry a scheme and a path).
pub fn auths_lookup(bytes: &[u8], host: &str) -> Option<(String, String)> {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        auths: HashMap<String, Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(default)]
        auth: Option<String>,
    }
    let file: File = serde_json::from_slice(bytes).ok()?;
    let hub = host == "registry-1.docker.io";
    for (key, entry) in file.auths {
        let k = key
            .trim_start_matches("https://")
            .trim_start_matches("http://");
        let k = k.split('/').next().unwrap_or(k);
        let matches = k == host || hub && (k == "docker.io" || k == "index.docker.io");
        if !matches {
            continue;
        }
        let raw = base64::engine::general_purpose::STANDARD
            .decode(entry.auth?.trim())
            .ok()?;
        let text = String::from_utf8(raw).ok()?;
        let (u, p) = text.split_once(':')?;
        return Some((u.to_string(), p.to_string()));
    }
    None
}

fn tls_config(opts: &RegistryOptions, host: &str) -> Result<Arc<rustls::ClientConfig>> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| ImageError::invalid(host, format!("TLS setup: {e}")))?;
    if !opts.tls_verify {
        return Ok(Arc::new(
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(NoVerify(provider)))
                .with_no_client_auth(),
        ));
    }
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    let dirs: Vec<PathBuf> = match &opts.cert_dir {
        Some(d) => vec![d.clone()],
        None => vec![
            Path::new("/etc/containers/certs.d").join(host),
            Path::new("/etc/docker/certs.d").join(host),
        ],
    };
    for dir in dirs {
        let rd = match std::fs::read_dir(&dir) {
            Ok(rd) => rd,
            Err(e) if opts.cert_dir.is_some() => {
                return Err(ImageError::io(format!("--cert-dir {}", dir.display()), e))
            }
            Err(_) => continue,
        };
        for entry in rd.flatten() {
            let p = entry.path();
            if p.extension().is_some_and(|e| e == "crt") {
                let certs = CertificateDer::pem_file_iter(&p)
                    .and_then(|it| it.collect::<std::result::Result<Vec<_>, _>>())
                    .map_err(|e| ImageError::invalid(p.display().to_string(), format!("not a PEM certificate file: {e}")))?;
                roots.add_parsable_certificates(certs);
            }
        }
    }
    Ok(Arc::new(builder.with_root_certificates(roots).with_no_client_auth()))
}

/// `--tls-verify=false`: any certificate, but handshake signatures are still checked.
#[derive(Debug)]
struct NoVerify(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls_pki_types::CertificateDer<'_>,
        _intermediates: &[rustls_pki_types::CertificateDer<'_>],
        _server_name: &rustls_pki_types::ServerName<'_>,
        _ocsp: &[u8],
        _now: rustls_pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls_pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls_pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }
    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

fn is_loopback(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name == "localhost"
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Hashes what passes through and counts it.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    bytes: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks `digest` names sha256 (the only algorithm registries use in practice).
fn sha256_of(digest: &str) -> Option<&str> {
    digest.strip_prefix("sha256:")
}

pub(crate) struct RegistryStore {
    client: Client,
    /// Synthesised `index.json` pointing at the chosen image manifest.
    index: Vec<u8>,
    manifest_path: String,
    manifest: Vec<u8>,
    /// Blob path -> (digest, size) for the config and the layers.
    blobs: HashMap<String, (String, u64)>,
    /// The config, when it was fetched early (to check the platform).
    config: Mutex<Option<(String, Vec<u8>)>>,
    parallel: usize,
}

impl RegistryStore {
    pub(crate) fn open(spec: &str, opts: &ReadOptions<'_>) -> Result<RegistryStore> {
        let ctx = format!("docker://{spec}");
        let defaults = RegistryOptions::default();
        let ropts = opts.registry.unwrap_or(&defaults);
        let reference = Reference::parse(spec).map_err(|m| ImageError::invalid(&ctx, m))?;
        let creds = match &ropts.creds {
            Some(c) => Some(
                c.split_once(':')
                    .map(|(u, p)| (u.to_string(), p.to_string()))
                    .ok_or_else(|| ImageError::invalid(&ctx, "--creds must be USER:PASSWORD"))?,
            ),
            None => file_creds(&reference.host),
        };
        let agent = ureq::AgentBuilder::new()
            .tls_config(tls_config(ropts, &reference.host)?)
            .timeout_connect(ropts.timeout)
            .timeout_read(ropts.timeout)
            .timeout_write(ropts.timeout)
            .user_agent(concat!("dockstage/", env!("CARGO_PKG_VERSION")))
            .build();
        let timeout = ropts.timeout;
        let base = choose_scheme(&agent, &reference.host, ropts, timeout)
            .map_err(|m| ImageError::io(&ctx, io::Error::other(m)))?;
        let client = Client {
            agent,
            base,
            reference,
            creds,
            authorization: Mutex::new(None),
            ctx: ctx.clone(),
            timeout,
        };

        // Follow manifest lists down to one image manifest.
        let platform = ropts.platform.clone().unwrap_or_else(host_platform);
        let mut want = client.reference.manifest_ref().to_string();
        let mut expect_digest = client.reference.digest.clone();
        let mut from_index = false;
        let accept = [MT_OCI_INDEX, MT_DOCKER_LIST, MT_OCI_MANIFEST, MT_DOCKER_MANIFEST].join(", ");
        let (manifest, bytes, digest) = loop {
            let what = if expect_digest.is_some() && from_index {
                format!("manifest {want} for {platform}")
            } else if client.reference.digest.is_some() {
                format!("manifest {want}")
            } else {
                format!("tag '{want}' of {}", client.reference.repository)
            };
            let resp = client
                .get(&format!("manifests/{want}"), Some(&accept))
                .map_err(|f| client.error(&what, f))?;
            let content_type = resp.content_type().to_string();
            let header_digest = resp.header("Docker-Content-Digest").map(str::to_string);
            let mut bytes = Vec::new();
            resp.into_reader()
                .take(opts.limits.max_json_bytes + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| client.error(&what, Failure::Transport(e.to_string())))?;
            if bytes.len() as u64 > opts.limits.max_json_bytes {
                return Err(ImageError::limit(&ctx, format!("{what} is too big for a JSON document")));
            }
            let actual = format!("sha256:{}", sha256_hex(&bytes));
            if let Some(d) = &expect_digest {
                if sha256_of(d).is_some() && *d != actual {
                    return Err(ImageError::invalid(
                        &ctx,
                        format!("{what}: digest mismatch: expected {d}, the registry sent {actual}"),
                    ));
                }
            }
            let digest = match (&expect_digest, header_digest) {
                (Some(d), _) => d.clone(),
                _ => actual,
            };
            let m: Manifest = serde_json::from_slice(&bytes)
                .map_err(|e| ImageError::invalid(&ctx, format!("{what} is not valid JSON: {e}")))?;
            match classify(&m, &content_type).map_err(|e| ImageError::invalid(&ctx, format!("{what}: {e}")))? {
                Kind::Image => break (m, bytes, digest),
                Kind::Index => {
                    if from_index {
                        return Err(ImageError::invalid(&ctx, format!("{what}: a manifest list inside a manifest list")));
                    }
                    let d = pick_platform(&m.manifests, &platform).map_err(|e| ImageError::invalid(&ctx, e))?;
                    if blob_path(&d.digest).is_none() {
                        return Err(ImageError::invalid(&ctx, format!("malformed digest '{}'", d.digest)));
                    }
                    want = d.digest.clone();
                    expect_digest = Some(d.digest.clone());
                    from_index = true;
                }
            }
        };
        let manifest_path = blob_path(&digest)
            .ok_or_else(|| ImageError::invalid(&ctx, format!("malformed digest '{digest}'")))?;
        let mut blobs = HashMap::new();
        for d in manifest.config.iter().chain(&manifest.layers) {
            let p = blob_path(&d.digest).expect("checked by classify");
            blobs.insert(p, (d.digest.clone(), d.size));
        }
        let r = &client.reference;
        let name = match &r.tag {
            Some(t) => format!("{}/{}:{t}", r.host, r.repository),
            None => format!("{}/{}@{digest}", r.host, r.repository),
        };
        let index = serde_json::to_vec(&serde_json::json!({
            "schemaVersion": 2,
            "manifests": [{
                "mediaType": manifest.media_type,
                "digest": digest,
                "size": bytes.len(),
                "annotations": {"org.opencontainers.image.ref.name": name},
            }],
        }))
        .expect("serialisable");
        let store = RegistryStore {
            client,
            index,
            manifest_path,
            manifest: bytes,
            blobs,
            config: Mutex::new(None),
            parallel: ropts.parallel.max(1),
        };
        // A single image has no platform list: when a platform was asked for, its config says.
        if !from_index && ropts.platform.is_some() {
            let config = manifest.config.as_ref().expect("checked by classify");
            let bytes = store.fetch_small(&config.digest, config.size, &opts.limits, "config")?;
            #[derive(serde::Deserialize)]
            struct Conf {
                #[serde(default)]
                os: String,
                #[serde(default)]
                architecture: String,
                #[serde(default)]
                variant: Option<String>,
            }
            let c: Conf = serde_json::from_slice(&bytes)
                .map_err(|e| ImageError::invalid(&ctx, format!("image config is not valid: {e}")))?;
            let have = Platform {
                os: c.os,
                architecture: c.architecture,
                variant: c.variant,
            };
            let ok = pick_platform(
                &[Descriptor {
                    digest: config.digest.clone(),
                    size: 0,
                    platform: Some(have.clone()),
                }],
                &platform,
            )
            .is_ok();
            if !ok {
                return Err(ImageError::invalid(
                    &ctx,
                    format!("the image is for {}, not {platform}", have.show()),
                ));
            }
            let path = blob_path(&config.digest).expect("checked by classify");
            *store.config.lock().expect("not poisoned") = Some((path, bytes));
        }
        Ok(store)
    }

    fn fetch_small(&self, digest: &str, size: u64, limits: &Limits, what: &str) -> Result<Vec<u8>> {
        let what = format!("{what} {digest}");
        if size > limits.max_json_bytes {
            return Err(ImageError::limit(&self.client.ctx, format!("{what} is {size} bytes, too big for a JSON document")));
        }
        let resp = self
            .client
            .get(&format!("blobs/{digest}"), None)
            .map_err(|f| self.client.error(&what, f))?;
        let mut bytes = Vec::new();
        resp.into_reader()
            .take(limits.max_json_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| self.client.error(&what, Failure::Transport(e.to_string())))?;
        if bytes.len() as u64 > limits.max_json_bytes {
            return Err(ImageError::limit(&self.client.ctx, format!("{what} is too big for a JSON document")));
        }
        if let Some(hex) = sha256_of(digest) {
            let actual = sha256_hex(&bytes);
            if actual != hex {
                return Err(ImageError::invalid(
                    &self.client.ctx,
                    format!("{what}: digest mismatch: the registry sent sha256:{actual}"),
                ));
            }
        }
        Ok(bytes)
    }
}

/// `https://HOST`, or `http://HOST` when HTTPS fails and plain HTTP is allowed and answers
/// like a registry.
fn choose_scheme(
    agent: &ureq::Agent,
    host: &str,
    opts: &RegistryOptions,
    timeout: Duration,
) -> std::result::Result<String, String> {
    let ping = |base: &str| -> std::result::Result<u16, String> {
        match agent.get(&format!("{base}/v2/")).call() {
            Ok(r) => Ok(r.status()),
            Err(ureq::Error::Status(code, _)) => Ok(code),
            Err(ureq::Error::Transport(t)) => Err(transport_message(&t, timeout)),
        }
    };
    let https = format!("https://{host}");
    let https_err = match ping(&https) {
        Ok(_) => return Ok(https),
        Err(e) => e,
    };
    if is_timeout(&https_err) || (opts.tls_verify && !is_loopback(host)) {
        return Err(https_err);
    }
    let http = format!("http://{host}");
    match ping(&http) {
        Ok(200 | 401) => Ok(http),
        Ok(_) | Err(_) => Err(https_err),
    }
}

impl Store for RegistryStore {
    fn has(&self, name: &str) -> bool {
        name == "index.json" || name == self.manifest_path || self.blobs.contains_key(name)
    }
    fn resolve(&self, name: &str) -> Result<String> {
        if self.has(name) {
            Ok(name.to_string())
        } else {
            Err(ImageError::invalid(&self.client.ctx, format!("'{name}' is not in the manifest")))
        }
    }
    fn read_small(&self, name: &str, limits: &Limits) -> Result<Vec<u8>> {
        if name == "index.json" {
            return Ok(self.index.clone());
        }
        if name == self.manifest_path {
            return Ok(self.manifest.clone());
        }
        {
            let mut early = self.config.lock().expect("not poisoned");
            if early.as_ref().is_some_and(|(p, _)| p == name) {
                return Ok(early.take().expect("checked").1);
            }
        }
        let (digest, size) = self.blobs.get(name).ok_or_else(|| {
            ImageError::invalid(&self.client.ctx, format!("'{name}' is not in the manifest"))
        })?;
        self.fetch_small(digest, *size, limits, "config")
    }
    fn size(&self, name: &str) -> u64 {
        self.blobs.get(name).map_or(0, |(_, s)| *s)
    }
    fn layer(&self, name: &str, opts: &ReadOptions<'_>, budget: &EntryBudget) -> Result<Arc<LayerTree>> {
        let ctx = &self.client.ctx;
        let (digest, size) = self
            .blobs
            .get(name)
            .ok_or_else(|| ImageError::invalid(ctx, format!("'{name}' is not in the manifest")))?;
        let what = format!("layer {digest}");
        let resp = self
            .client
            .get(&format!("blobs/{digest}"), None)
            .map_err(|f| self.client.error(&what, f))?;
        let mut body = Hashing {
            inner: ProgressReader {
                inner: resp.into_reader(),
                progress: opts.progress,
            },
            hash: Sha256::new(),
            bytes: 0,
        };
        let lctx = format!("{ctx}: {what}");
        let tree = read_layer_with(&mut body, &lctx, &opts.limits, budget, opts.capture);
        // The layer reader may stop at the tar's end marker: hash what follows too, then judge
        // the bytes before what was made of them (a corrupt blob is a digest error first).
        let drained = io::copy(&mut body, &mut io::sink());
        if let Some(hex) = sha256_of(digest) {
            let actual = hex_of(&body.hash);
            let complete = drained.is_ok();
            if complete && (actual != hex || body.bytes != *size && *size != 0) {
                return Err(ImageError::invalid(
                    ctx,
                    format!(
                        "{what}: digest mismatch: the registry sent {} bytes hashing to sha256:{actual} (the manifest says {size} bytes)",
                        body.bytes
                    ),
                ));
            }
        }
        let tree = tree?;
        drained.map_err(|e| ImageError::io(&lctx, e))?;
        Ok(Arc::new(tree))
    }
    fn context(&self) -> &str {
        &self.client.ctx
    }
    fn read_ahead(&self) -> usize {
        self.parallel
    }
    fn format(&self) -> Option<Format> {
        Some(Format::Registry)
    }
}

fn hex_of(h: &Sha256) -> String {
    hex(&h.clone().finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        let r = Reference::parse("127.0.0.1:5000/a/b:v1").unwrap();
        assert_eq!((r.host.as_str(), r.repository.as_str(), r.tag.as_deref()), ("127.0.0.1:5000", "a/b", Some("v1")));
        let r = Reference::parse("localhost/x").unwrap();
        assert_eq!(r.tag.as_deref(), Some("latest"));
        let r = Reference::parse("alpine").unwrap();
        assert_eq!((r.host.as_str(), r.repository.as_str()), ("registry-1.docker.io", "library/alpine"));
        let d = format!("sha256:{}", "a".repeat(64));
        let r = Reference::parse(&format!("h.io:1/x@{d}")).unwrap();
        assert_eq!((r.tag, r.digest.as_deref()), (None, Some(d.as_str())));
        assert!(Reference::parse("h.io/UPPER").is_err());
        assert!(Reference::parse("h.io/x@sha256:../../etc").is_err());
        assert!(Reference::parse("h.io/x:bad tag").is_err());
    }

    #[test]
    fn challenges() {
        let (s, p) = parse_challenge(r#"Bearer realm="https://auth.example/token",service="reg, ok",scope="repository:a/b:pull""#);
        assert_eq!(s, "Bearer");
        assert_eq!(p["realm"], "https://auth.example/token");
        assert_eq!(p["service"], "reg, ok");
        assert_eq!(p["scope"], "repository:a/b:pull");
        let (s, p) = parse_challenge(r#"Basic realm="Registry Realm""#);
        assert_eq!((s.as_str(), p["realm"].as_str()), ("Basic", "Registry Realm"));
        // Unterminated quotes and garbage end the parse without panicking.
        let _ = parse_challenge(r#"Bearer realm="x"#);
        let _ = parse_challenge("Bearer ,,=,=\"");
    }

    #[test]
    fn platforms() {
        let d = |os: &str, arch: &str, v: Option<&str>| Descriptor {
            digest: format!("sha256:{arch}"),
            size: 1,
            platform: Some(Platform { os: os.into(), architecture: arch.into(), variant: v.map(Into::into) }),
        };
        let list = [d("linux", "amd64", None), d("linux", "arm", Some("v7")), d("linux", "arm64", Some("v8"))];
        assert_eq!(pick_platform(&list, "linux/arm64").unwrap().digest, "sha256:arm64");
        assert_eq!(pick_platform(&list, "linux/arm/v7").unwrap().digest, "sha256:arm");
        let e = pick_platform(&list, "linux/s390x").err().unwrap();
        assert!(e.contains("linux/amd64, linux/arm/v7, linux/arm64/v8"), "{e}");
    }

    #[test]
    fn auth_files() {
        let f = br#"{"auths":{"https://reg.example:5000/v1/":{"auth":"dTpw"},"docker.io":{"auth":"aHViOnNlY3JldDpjb2xvbg=="}}}"#;
        assert_eq!(auths_lookup(f, "reg.example:5000"), Some(("u".into(), "p".into())));
        assert_eq!(auths_lookup(f, "registry-1.docker.io"), Some(("hub".into(), "secret:colon".into())));
        assert_eq!(auths_lookup(f, "other"), None);
        assert_eq!(auths_lookup(b"not json", "other"), None);
    }

    /// Every prefix and a byte-flipped copy of real documents: an answer, never a panic.
    #[test]
    fn hostile_documents() {
        let docs: [&[u8]; 3] = [
            br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:ab","size":2},"layers":[{"digest":"sha256:cd","size":3}]}"#,
            br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"digest":"sha256:ab","size":2,"platform":{"os":"linux","architecture":"amd64"}}]}"#,
            br#"{"auths":{"h:1":{"auth":"dTpw"}}}"#,
        ];
        for doc in docs {
            for cut in 0..doc.len() {
                let mut flipped = doc.to_vec();
                flipped[cut] ^= 0x80;
                for bytes in [&doc[..cut], &flipped[..]] {
                    let _ = check_manifest(bytes);
                    let _ = auths_lookup(bytes, "h:1");
                    let text = String::from_utf8_lossy(bytes);
                    let _ = parse_challenge(&text);
                    let _ = Reference::parse(&text);
                }
            }
        }
        assert!(check_manifest(docs[0]).is_ok());
        assert!(check_manifest(br#"{"schemaVersion":1,"fsLayers":[]}"#).unwrap_err().contains("schema 1"));
        assert!(check_manifest(br#"{"config":{"digest":"sha256:../x"}}"#).unwrap_err().contains("malformed digest"));
    }

    #[test]
    fn loopback() {
        assert!(is_loopback("127.0.0.1:5000"));
        assert!(is_loopback("localhost"));
        assert!(is_loopback("[::1]:5000"));
        assert!(!is_loopback("registry.example:5000"));
    }
}
