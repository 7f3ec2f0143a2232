//! `inspect docker://...` against a real registry (Debian's `docker-registry`, the CNCF
//! distribution registry) on 127.0.0.1: plain HTTP, TLS with a test CA and htpasswd basic
//! auth, a manifest list, and the failures a user meets (bad credentials, unknown tag, wrong
//! platform, a missing blob, a corrupt blob, a server that never answers). The image is the
//! `wasteful` fixture built by scripts/make-test-images.sh, pushed with `buildah push`; the
//! registry's answer must equal `inspect` of the same image's oci-archive.
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn dockstage(args: &[&str], env: &[(&str, &Path)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dockstage"));
    c.args(args).env_remove("REGISTRY_AUTH_FILE").env("HOME", "/nonexistent");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A registry process, stopped when dropped.
struct Registry {
    child: Child,
    addr: String,
}

impl Registry {
    fn start(dir: &Path, name: &str, data: &Path, extra: &str) -> Registry {
        let port = free_port();
        let addr = format!("127.0.0.1:{port}");
        let config = dir.join(format!("{name}.yml"));
        std::fs::write(
            &config,
            format!(
                "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\nhttp:\n  addr: {addr}\n{extra}",
                data.display()
            ),
        )
        .unwrap();
        let log = std::fs::File::create(dir.join(format!("{name}.log"))).unwrap();
        let child = Command::new("docker-registry")
            .arg("serve")
            .arg(&config)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("docker-registry (Debian package docker-registry; scripts/install-test-deps.sh)");
        let mut r = Registry { child, addr };
        let start = Instant::now();
        while TcpStream::connect(&r.addr).is_err() {
            if let Ok(Some(status)) = r.child.try_wait() {
                panic!(
                    "registry {name} exited ({status}):\n{}",
                    std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default()
                );
            }
            assert!(start.elapsed() < Duration::from_secs(20), "registry {name} did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        r
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The fixture image (built once, cached) and its cache directory.
fn fixtures() -> (PathBuf, PathBuf) {
    let out = run(Command::new("bash")
        .arg(workspace().join("scripts/make-test-images.sh"))
        .arg("fixtures"));
    let archives = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    let cache = archives.parent().unwrap().to_path_buf();
    (archives, cache)
}

fn push(cache: &Path, image: &str, dest: &str) {
    run(Command::new("buildah")
        .env("STORAGE_DRIVER", "vfs")
        .arg("--root")
        .arg(cache.join("storage"))
        .arg("--runroot")
        .arg(cache.join("run"))
        .args(["--storage-driver", "vfs", "push", "--quiet", "--tls-verify=false", image, dest]));
}

/// The report without the lines that name where the image came from.
fn comparable(json: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(json)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(json)));
    let o = v.as_object_mut().unwrap();
    for k in ["image", "format", "repo_tags"] {
        assert!(o.remove(k).is_some(), "the report has no '{k}'");
    }
    v
}

fn ok(out: &Output) -> &[u8] {
    assert!(
        out.status.success(),
        "dockstage failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    &out.stdout
}

/// One clear line on stderr, nothing on stdout, a non-zero exit.
fn fails(out: &Output, expect: &[&str]) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!out.status.success(), "expected a failure, got success");
    assert!(out.stdout.is_empty(), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(err.trim_end().lines().count(), 1, "one line expected: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for e in expect {
        assert!(err.contains(e), "'{e}' not in: {err}");
    }
    err
}

fn curl(args: &[&str]) -> Vec<u8> {
    run(Command::new("curl").args(["-fsS", "--max-time", "20"]).args(args)).stdout
}

fn sha256(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("b");
    std::fs::write(&p, bytes).unwrap();
    let out = run(Command::new("sha256sum").arg(&p));
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

/// The blob file of `digest` in a registry's storage.
fn blob_data(data: &Path, digest: &str) -> PathBuf {
    let hex = digest.strip_prefix("sha256:").unwrap();
    data.join("docker/registry/v2/blobs/sha256")
        .join(&hex[..2])
        .join(hex)
        .join("data")
}

fn copy_dir(from: &Path, to: &Path) {
    run(Command::new("cp").arg("-a").arg(from).arg(to));
}

/// A bearer token the registry trusts: a JWT signed (RS256, by `openssl dgst`) with the key of
/// `cert`, which the registry's `rootcertbundle` holds; the chain travels in `x5c`.
fn signed_token(dir: &Path, key: &Path, cert: &Path, service: &str, issuer: &str) -> String {
    let script = r#"
import base64, json, subprocess, sys, time
key, cert, service, issuer = sys.argv[1:5]
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
der = "".join(l for l in open(cert).read().splitlines() if "CERTIFICATE" not in l)
now = int(time.time())
header = {"typ": "JWT", "alg": "RS256", "x5c": [der]}
claims = {"iss": issuer, "sub": "tester", "aud": service, "exp": now + 3600, "nbf": now - 60,
          "iat": now - 60, "jti": "dockstage-test",
          "access": [{"type": "repository", "name": "wasteful", "actions": ["pull"]}]}
signing = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing.encode(),
                     capture_output=True, check=True).stdout
print(signing + "." + b64(sig))
"#;
    let out = run(Command::new("python3")
        .current_dir(dir)
        .args(["-c", script])
        .arg(key)
        .arg(cert)
        .args([service, issuer]));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A token server: `GET /token` with the right basic credentials gets `token`, else 401.
fn token_server(token: String, basic: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut req = Vec::new();
            let mut buf = [0u8; 4096];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut buf) {
                    Ok(n) if n > 0 => req.extend_from_slice(&buf[..n]),
                    _ => break,
                }
            }
            let req = String::from_utf8_lossy(&req).to_ascii_lowercase();
            let authorised = req.contains(&format!("authorization: basic {}", basic.to_ascii_lowercase()));
            let (status, body) = if authorised {
                ("200 OK", format!(r#"{{"token":"{token}"}}"#))
            } else {
                ("401 Unauthorized", r#"{"details":"bad credentials"}"#.to_string())
            };
            let _ = std::io::Write::write_all(
                &mut s,
                format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
                .as_bytes(),
            );
        }
    });
    format!("http://{addr}/token")
}

#[test]
fn registry_source_matches_the_archive_and_fails_clearly() {
    let (archives, cache) = fixtures();
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();

    let expected = comparable(ok(&dockstage(
        &["inspect", "--format", "json", archives.join("wasteful.oci.tar").to_str().unwrap()],
        &[],
    )));

    // Plain HTTP on loopback.
    let plain = Registry::start(dir, "plain", &data, "");
    push(&cache, "localhost/dockstage-test/wasteful:latest", &format!("docker://{}/wasteful:latest", plain.addr));
    let image = format!("docker://{}/wasteful:latest", plain.addr);
    let out = dockstage(&["inspect", "--format", "json", &image], &[]);
    let got: serde_json::Value = serde_json::from_slice(ok(&out)).unwrap();
    assert_eq!(got["format"], "registry");
    assert_eq!(got["repo_tags"][0], format!("{}/wasteful:latest", plain.addr));
    assert_eq!(comparable(&out.stdout), expected, "registry and archive reports differ");

    // The text report names the source; diff across sources works.
    let text = dockstage(&["inspect", &image], &[]);
    assert!(String::from_utf8_lossy(ok(&text)).contains(&format!("Image: {image} (docker)")));
    let d = dockstage(&["diff", "--format", "json", &image, archives.join("wasteful.oci.tar").to_str().unwrap()], &[]);
    ok(&d);

    // By digest, and through a manifest list (an OCI index PUT beside the tag).
    let manifest = curl(&[
        "-H",
        "Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json",
        &format!("http://{}/v2/wasteful/manifests/latest", plain.addr),
    ]);
    let mjson: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    let mdigest = format!("sha256:{}", sha256(&manifest));
    let by_digest = format!("docker://{}/wasteful@{mdigest}", plain.addr);
    assert_eq!(comparable(ok(&dockstage(&["inspect", "--format", "json", &by_digest], &[]))), expected);
    let media = mjson["mediaType"].as_str().unwrap_or("application/vnd.oci.image.manifest.v1+json");
    let list_type = if media.contains("docker") {
        "application/vnd.docker.distribution.manifest.list.v2+json"
    } else {
        "application/vnd.oci.image.index.v1+json"
    };
    let index = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": list_type,
        "manifests": [
            {"mediaType": media, "digest": mdigest, "size": manifest.len(),
             "platform": {"os": "linux", "architecture": "amd64"}},
        ],
    });
    let index_file = dir.join("index.json");
    std::fs::write(&index_file, serde_json::to_vec(&index).unwrap()).unwrap();
    curl(&[
        "-X",
        "PUT",
        "-H",
        &format!("Content-Type: {list_type}"),
        "--data-binary",
        &format!("@{}", index_file.display()),
        &format!("http://{}/v2/wasteful/manifests/multi", plain.addr),
    ]);
    let multi = format!("docker://{}/wasteful:multi", plain.addr);
    let amd = dockstage(&["inspect", "--format", "json", "--platform", "linux/amd64", &multi], &[]);
    assert_eq!(comparable(ok(&amd)), expected);
    fails(
        &dockstage(&["inspect", "--platform", "linux/arm64", &multi], &[]),
        &["no image for platform linux/arm64", "it has linux/amd64"],
    );
    // A single image is checked against an explicit platform by its config.
    fails(
        &dockstage(&["inspect", "--platform", "linux/s390x", &image], &[]),
        &["the image is for linux/amd64, not linux/s390x"],
    );

    // Unknown tag and repository.
    fails(
        &dockstage(&["inspect", &format!("docker://{}/wasteful:nope", plain.addr)], &[]),
        &["tag 'nope' of wasteful", "MANIFEST_UNKNOWN", "HTTP 404"],
    );
    fails(
        &dockstage(&["inspect", &format!("docker://{}/nothing:latest", plain.addr)], &[]),
        &["HTTP 404"],
    );

    // TLS with a test CA, and htpasswd basic auth; same storage.
    let tls = dir.join("tls");
    std::fs::create_dir_all(tls.join("certs")).unwrap();
    run(Command::new("openssl")
        .current_dir(&tls)
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=dockstage test CA"])
        .args(["-keyout", "ca.key", "-out", "certs/ca.crt"]));
    run(Command::new("openssl")
        .current_dir(&tls)
        .args(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr"]));
    std::fs::write(tls.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    run(Command::new("openssl").current_dir(&tls).args([
        "x509", "-req", "-in", "server.csr", "-CA", "certs/ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", "san.ext", "-out", "server.crt",
    ]));
    let htpasswd = run(Command::new("htpasswd").args(["-Bbn", "tester", "s3cret"])).stdout;
    std::fs::write(tls.join("htpasswd"), &htpasswd).unwrap();
    let secure = Registry::start(
        dir,
        "secure",
        &data,
        &format!(
            "  tls:\n    certificate: {}\n    key: {}\nauth:\n  htpasswd:\n    realm: test\n    path: {}\n",
            tls.join("server.crt").display(),
            tls.join("server.key").display(),
            tls.join("htpasswd").display()
        ),
    );
    let simage = format!("docker://{}/wasteful:latest", secure.addr);
    let certs = tls.join("certs");
    let certs = certs.to_str().unwrap();
    let good = dockstage(&["inspect", "--format", "json", "--cert-dir", certs, "--creds", "tester:s3cret", &simage], &[]);
    assert_eq!(comparable(ok(&good)), expected);
    let insecure = dockstage(&["inspect", "--format", "json", "--tls-verify=false", "--creds", "tester:s3cret", &simage], &[]);
    assert_eq!(comparable(ok(&insecure)), expected);
    // Credentials from an auth file, as `podman login` / `docker login` write them.
    let auth_file = dir.join("auth.json");
    std::fs::write(
        &auth_file,
        format!(r#"{{"auths":{{"{}":{{"auth":"dGVzdGVyOnMzY3JldA=="}}}}}}"#, secure.addr),
    )
    .unwrap();
    let from_file = dockstage(&["inspect", "--format", "json", "--cert-dir", certs, &simage], &[("REGISTRY_AUTH_FILE", &auth_file)]);
    assert_eq!(comparable(ok(&from_file)), expected);
    fails(
        &dockstage(&["inspect", "--cert-dir", certs, "--creds", "tester:wrong", &simage], &[]),
        &["authentication failed", "HTTP 401"],
    );
    fails(
        &dockstage(&["inspect", "--cert-dir", certs, &simage], &[]),
        &["authentication required", "--creds"],
    );
    // The test CA is not among the system roots.
    fails(
        &dockstage(&["inspect", "--creds", "tester:s3cret", &simage], &[]),
        &["https://", "certificate"],
    );
    drop(secure);

    // The bearer-token flow: the registry's challenge names a realm; the token it hands out
    // is checked by the registry against the signing certificate.
    let token = signed_token(dir, &tls.join("ca.key"), &tls.join("certs/ca.crt"), "dockstage-test", "dockstage-issuer");
    let realm = token_server(token, "dGVzdGVyOnMzY3JldA==");
    let bearer = Registry::start(
        dir,
        "bearer",
        &data,
        &format!(
            "auth:\n  token:\n    realm: {realm}\n    service: dockstage-test\n    issuer: dockstage-issuer\n    rootcertbundle: {}\n",
            tls.join("certs/ca.crt").display()
        ),
    );
    let bimage = format!("docker://{}/wasteful:latest", bearer.addr);
    let with_token = dockstage(&["inspect", "--format", "json", "--creds", "tester:s3cret", &bimage], &[]);
    assert_eq!(comparable(ok(&with_token)), expected);
    fails(
        &dockstage(&["inspect", "--creds", "tester:wrong", &bimage], &[]),
        &["token server", "refused", "HTTP 401"],
    );
    drop(bearer);

    // A manifest naming a blob the registry lost, and a blob whose bytes changed: copies of
    // the storage, so the registry above is untouched.
    let layers: Vec<String> = mjson["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["digest"].as_str().unwrap().to_string())
        .collect();
    let last = layers.last().unwrap().clone();
    let lost = dir.join("lost");
    copy_dir(&data, &lost);
    std::fs::remove_file(blob_data(&lost, &last)).unwrap();
    let lost_reg = Registry::start(dir, "lost", &lost, "");
    fails(
        &dockstage(&["inspect", &format!("docker://{}/wasteful:latest", lost_reg.addr)], &[]),
        &[&format!("layer {last}"), "HTTP"],
    );
    drop(lost_reg);

    let corrupt = dir.join("corrupt");
    copy_dir(&data, &corrupt);
    let blob = blob_data(&corrupt, &last);
    let mut bytes = std::fs::read(&blob).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&blob, &bytes).unwrap();
    let corrupt_reg = Registry::start(dir, "corrupt", &corrupt, "");
    fails(
        &dockstage(&["inspect", &format!("docker://{}/wasteful:latest", corrupt_reg.addr)], &[]),
        &[&format!("layer {last}: digest mismatch")],
    );
    drop(corrupt_reg);
    drop(plain);

    // A server that accepts and never answers: a bounded wait, then one error.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let stall_addr = listener.local_addr().unwrap();
    let holder = std::thread::spawn(move || {
        let mut held = Vec::new();
        // Two connections: the HTTPS attempt, then (if it got that far) plain HTTP.
        for _ in 0..2 {
            listener.set_nonblocking(false).unwrap();
            match listener.accept() {
                Ok((s, _)) => held.push(s),
                Err(_) => break,
            }
        }
        // Keep them open until the client gives up.
        for s in &mut held {
            let _ = s.set_read_timeout(Some(Duration::from_secs(15)));
            let mut buf = [0u8; 1024];
            while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
        }
    });
    let start = Instant::now();
    fails(
        &dockstage(&["inspect", "--timeout", "2", &format!("docker://{stall_addr}/x:latest")], &[]),
        &["timed out"],
    );
    assert!(start.elapsed() < Duration::from_secs(15), "took {:?}", start.elapsed());
    // Unblock the holder if it still waits for a second connection.
    let _ = TcpStream::connect(stall_addr);
    holder.join().unwrap();
}
