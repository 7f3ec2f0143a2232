//! Compose and bake files resolved on real projects and on bake files written for the features
//! bake has (inheritance, variables, functions, matrices), and every error with its position.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use dockstage_project::{check, discover, discover_compose, load, load_files_with_env, load_with_env, DockerfileSource, Error, Kind, Project};
use dockstage_test_support::shared_dir;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn no_env() -> BTreeMap<String, String> {
    BTreeMap::new()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

fn load_err(path: &Path) -> Error {
    match load_with_env(path, &no_env()).and_then(|p| check(&p).map(|_| p)) {
        Ok(p) => panic!("expected an error for {}, got {p:#?}", path.display()),
        Err(e) => e,
    }
}

#[test]
fn churn_api_compose_builds_train_and_api_from_the_project_root() {
    let file = workspace().join("examples/churn-api/docker-compose.yml");
    let p = load_with_env(&file, &no_env()).unwrap();
    check(&p).unwrap();
    assert_eq!(p.kind, Kind::Compose);
    let names: Vec<&str> = p.builds.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["train", "api"]);
    let root = workspace().join("examples/churn-api");
    assert_eq!(p.builds[0].context.as_deref(), Some(root.as_path()));
    assert_eq!(p.builds[0].dockerfile, DockerfileSource::File(root.join("docker/Dockerfile.train")));
    assert_eq!(p.builds[1].dockerfile, DockerfileSource::File(root.join("docker/Dockerfile.api")));
    assert_eq!((p.builds[0].at.line, p.builds[0].at.column), (4, 3));
    assert_eq!((p.builds[1].at.line, p.builds[1].at.column), (12, 3));
    assert_eq!(discover(&root), vec![root.join("docker-compose.yml")]);
}

/// Every awesome-compose project the corpus has Dockerfiles for, with its own compose file.
#[test]
fn awesome_compose_projects_resolve_to_the_corpus_dockerfiles() {
    let corpus = shared_dir().join("corpus/docker+awesome-compose");
    assert!(corpus.is_dir(), "corpus not found at {} (set DOCKSTAGE_SHARED)", corpus.display());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/awesome-compose");
    let mut projects = 0;
    let mut builds = 0;
    let mut dockerfiles = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&fixtures).unwrap() {
        let entry = entry.unwrap();
        if !entry.path().is_dir() {
            continue;
        }
        let name = entry.file_name();
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(&corpus.join(&name), tmp.path());
        for f in std::fs::read_dir(entry.path()).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, tmp.path().join(f.file_name().unwrap())).unwrap();
        }
        let found = discover(tmp.path());
        assert_eq!(found.len(), 1, "{name:?}: {found:?}");
        let p = load_with_env(&found[0], &no_env()).unwrap_or_else(|e| panic!("{name:?}: {e}"));
        check(&p).unwrap_or_else(|e| panic!("{name:?}: {e}"));
        assert!(!p.builds.is_empty(), "{name:?} builds nothing");
        for b in &p.builds {
            let DockerfileSource::File(f) = &b.dockerfile else { panic!("{name:?}: inline") };
            assert!(f.starts_with(tmp.path()) && f.is_file(), "{name:?}/{}: {}", b.name, f.display());
            dockerfiles.insert(Path::new(&name).join(f.strip_prefix(tmp.path()).unwrap()));
        }
        projects += 1;
        builds += p.builds.len();
    }
    assert_eq!(projects, 27);
    // Every corpus Dockerfile is built; nginx-nodejs-redis builds web/Dockerfile twice (web1, web2).
    assert_eq!(dockerfiles.len(), 35);
    assert_eq!(builds, 36);
}

#[test]
fn awesome_compose_targets_and_image_only_services() {
    let corpus = shared_dir().join("corpus/docker+awesome-compose/react-rust-postgres");
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&corpus, tmp.path());
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/awesome-compose/react-rust-postgres/compose.yaml");
    std::fs::copy(&fixture, tmp.path().join("compose.yaml")).unwrap();
    let p = load_with_env(&tmp.path().join("compose.yaml"), &no_env()).unwrap();
    check(&p).unwrap();
    assert_eq!(p.name.as_deref(), Some("react-rust-postgres"));
    assert_eq!(p.image_only, ["db"]);
    assert_eq!(p.builds.len(), 2);
    for b in &p.builds {
        assert_eq!(b.target.as_deref(), Some("development"));
        assert_eq!(b.context.as_deref(), Some(tmp.path().join(&b.name).as_path()));
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

const TWO_STAGES: &str = "FROM debian:bookworm-slim AS base\nRUN true\n\nFROM base AS app\nCMD [\"true\"]\n";

#[test]
fn compose_build_forms_args_contexts_inline_profiles_and_interpolation() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "svc/Dockerfile.dev", TWO_STAGES);
    write(tmp.path(), ".env", "TAG=from-dotenv\nSTAGE=base\n");
    let file = write(
        tmp.path(),
        "compose.yaml",
        r#"
x-common: &common
  context: ./svc
  dockerfile: Dockerfile.${FLAVOUR:-dev}
services:
  short:
    build: ./svc-short
  full:
    build:
      <<: *common
      target: ${STAGE}
      args:
        - VERSION=1.2
        - FROM_ENV
        - UNSET_ARG
      additional_contexts:
        shared: ../shared
      tags: ["app:${TAG}"]
      x-bake:
        platforms: [linux/amd64, linux/arm64]
    profiles: [debug]
  inline:
    build:
      context: .
      dockerfile_inline: |
        FROM scratch
        COPY . /
  remote:
    build: https://github.com/example/app.git#main
  db:
    image: postgres
"#,
    );
    let env: BTreeMap<String, String> = [("FROM_ENV".to_string(), "yes".to_string()), ("TAG".to_string(), "from-env".to_string())].into();
    let p = load_with_env(&file, &env).unwrap();
    let by = |n: &str| p.builds.iter().find(|b| b.name == n).unwrap();
    let full = by("full");
    assert_eq!(full.context.as_deref(), Some(tmp.path().join("svc").as_path()));
    assert_eq!(full.dockerfile, DockerfileSource::File(tmp.path().join("svc/Dockerfile.dev")));
    assert_eq!(full.target.as_deref(), Some("base"), ".env fills what the environment lacks");
    assert_eq!(full.args, BTreeMap::from([("VERSION".into(), "1.2".into()), ("FROM_ENV".into(), "yes".into())]));
    assert_eq!(full.additional_contexts["shared"], "../shared");
    assert_eq!(full.tags, ["app:from-env"], "the environment wins over .env");
    assert_eq!(full.x_bake["platforms"], "linux/amd64,linux/arm64");
    assert_eq!(full.profiles, ["debug"]);
    assert_eq!(by("short").dockerfile, DockerfileSource::File(tmp.path().join("svc-short/Dockerfile")));
    assert!(matches!(&by("inline").dockerfile, DockerfileSource::Inline(t) if t.starts_with("FROM scratch\n")));
    assert_eq!(by("remote").context, None);
    assert_eq!(p.image_only, ["db"]);
    // svc-short does not exist: check says so, at the service.
    let e = check(&p).unwrap_err();
    assert_eq!((e.at.line, e.at.column), (6, 3), "{e}");
    assert!(e.to_string().contains("short: build context") && e.to_string().contains("not a directory"), "{e}");
}

const BAKE: &str = r#"
variable "TAG" {
  default = "latest"
}
variable "REGISTRY" {
  default = "registry.example/${lower(ORG)}"
}
variable "ORG" {
  default = "Team"
}
variable "DEBUG" {
  default = false
}
function "tag" {
  params = [name]
  result = "${REGISTRY}/${name}:${TAG}"
}

group "default" {
  targets = ["api", "workers"]
}

target "_common" {
  context = "."
  args = {
    PYTHON = "3.11"
    DEBUG = DEBUG
  }
}

target "api" {
  inherits = ["_common"]
  dockerfile = "docker/Dockerfile"
  target = "app"
  tags = [tag("api")]
  args = {
    PYTHON = "3.12"
  }
}

target "workers" {
  name = "worker-${kind}"
  inherits = ["_common"]
  dockerfile = "docker/Dockerfile"
  target = kind == "cpu" ? "base" : "app"
  matrix = {
    kind = ["cpu", "gpu"]
  }
  tags = [tag("worker-${kind}")]
}

target "unused" {
  dockerfile = "missing/Dockerfile"
}
"#;

#[test]
fn bake_hcl_variables_functions_inheritance_matrix_and_default_group() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "docker/Dockerfile", TWO_STAGES);
    let file = write(tmp.path(), "docker-bake.hcl", BAKE);
    let p = load_with_env(&file, &no_env()).unwrap();
    check(&p).unwrap();
    assert_eq!(p.kind, Kind::Bake);
    let names: Vec<&str> = p.builds.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["api", "worker-cpu", "worker-gpu"], "the default group, matrix expanded");
    let api = &p.builds[0];
    assert_eq!(api.args, BTreeMap::from([("PYTHON".into(), "3.12".into()), ("DEBUG".into(), "false".into())]));
    assert_eq!(api.tags, ["registry.example/team/api:latest"]);
    assert_eq!(api.inherits, ["_common"]);
    assert_eq!(api.dockerfile, DockerfileSource::File(tmp.path().join("docker/Dockerfile")));
    assert_eq!(api.target_at.line, 34);
    assert_eq!((api.at.line, api.at.column), (31, 1));
    assert_eq!(p.builds[1].target.as_deref(), Some("base"));
    assert_eq!(p.builds[2].target.as_deref(), Some("app"));
    assert_eq!(p.builds[2].tags, ["registry.example/team/worker-gpu:latest"]);

    // The environment overrides defaults, converted to the default's type.
    let env: BTreeMap<String, String> = [("TAG".to_string(), "v2".to_string()), ("DEBUG".to_string(), "true".to_string()), ("ORG".to_string(), "Ops".to_string())].into();
    let p = load_with_env(&file, &env).unwrap();
    assert_eq!(p.builds[0].tags, ["registry.example/ops/api:v2"]);
    assert_eq!(p.builds[0].args["DEBUG"], "true");
}

#[test]
fn bake_without_a_default_group_reports_the_targets_nothing_inherits() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "Dockerfile", TWO_STAGES);
    let file = write(tmp.path(), "docker-bake.hcl", "target \"base\" {\n  target = \"base\"\n}\ntarget \"a\" {\n  inherits = [\"base\"]\n}\ntarget \"b\" {\n  inherits = [\"a\"]\n  target = \"app\"\n}\n");
    let p = load_with_env(&file, &no_env()).unwrap();
    let names: Vec<&str> = p.builds.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["b"]);
    assert_eq!(p.builds[0].inherits, ["a", "base"]);
    assert_eq!(p.builds[0].target.as_deref(), Some("app"));
}

#[test]
fn bake_json_is_read_like_hcl() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "app/Dockerfile", TWO_STAGES);
    let file = write(
        tmp.path(),
        "docker-bake.json",
        r#"{
  "variable": {"TAG": {"default": "1.0"}},
  "group": {"default": {"targets": ["app"]}},
  "target": {
    "common": {"context": "app", "args": {"A": "1"}},
    "app": {"inherits": ["common"], "target": "base", "tags": ["app:${TAG}"], "args": {"B": "2"}}
  }
}"#,
    );
    let p = load_with_env(&file, &no_env()).unwrap();
    check(&p).unwrap();
    assert_eq!(p.builds.len(), 1);
    let b = &p.builds[0];
    assert_eq!(b.tags, ["app:1.0"]);
    assert_eq!(b.args, BTreeMap::from([("A".into(), "1".into()), ("B".into(), "2".into())]));
    assert_eq!(b.dockerfile, DockerfileSource::File(tmp.path().join("app/Dockerfile")));
    assert_eq!(b.at.line, 6);
}

#[test]
fn errors_name_the_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "Dockerfile", TWO_STAGES);

    let bad_yaml = write(d, "compose.yaml", "services:\n  api:\n    build: [\n");
    let e = load_err(&bad_yaml);
    assert!(e.message.starts_with("invalid YAML"), "{e}");
    assert_eq!(e.at.line, 4, "{e}");

    let bad_hcl = write(d, "docker-bake.hcl", "target \"a\" {\n  context = \n}\n");
    let e = load_err(&bad_hcl);
    assert!(e.message.starts_with("invalid HCL"), "{e}");
    assert_eq!((e.at.line, e.at.column), (2, 13), "{e}");

    let bad_json = write(d, "docker-bake.json", "{\"target\": {\"a\": {\"context\": }}}");
    let e = load_err(&bad_json);
    assert!(e.message.starts_with("invalid JSON"), "{e}");
    assert_eq!((e.at.line, e.at.column), (1, 30), "{e}");

    let missing = write(d, "compose.yaml", "services:\n  api:\n    build:\n      context: .\n      dockerfile: nope/Dockerfile\n");
    let e = load_err(&missing);
    assert_eq!(e.to_string(), format!("{}:5:7: api: Dockerfile {}: no such file", missing.display(), d.join("nope/Dockerfile").display()));

    let unknown_target = write(d, "compose.yaml", "services:\n  api:\n    build:\n      context: .\n      target: prod\n");
    let e = load_err(&unknown_target);
    assert_eq!((e.at.line, e.at.column), (5, 7), "{e}");
    assert!(e.message.contains("unknown target \"prod\"") && e.message.contains("base, app"), "{e}");

    let cycle = write(d, "docker-bake.hcl", "target \"a\" {\n  inherits = [\"b\"]\n}\n\ntarget \"b\" {\n  inherits = [\"c\"]\n}\ntarget \"c\" {\n  inherits = [\"a\"]\n}\n");
    let e = load_err(&cycle);
    assert!(e.message.contains("cycle in bake inheritance: a -> b -> c -> a"), "{e}");
    assert_eq!((e.at.line, e.at.column), (1, 1), "{e}");

    let unknown_parent = write(d, "docker-bake.hcl", "target \"a\" {\n  inherits = [\"nope\"]\n}\n");
    let e = load_err(&unknown_parent);
    assert_eq!((e.at.line, e.at.column, e.message.as_str()), (2, 3, "target a inherits unknown target \"nope\""));

    let unknown_in_group = write(d, "docker-bake.hcl", "group \"default\" {\n  targets = [\"a\", \"x\"]\n}\ntarget \"a\" {}\n");
    let e = load_err(&unknown_in_group);
    assert_eq!((e.at.line, e.message.as_str()), (2, "group default: unknown target \"x\""));

    let bake_target = write(d, "docker-bake.hcl", "target \"a\" {\n  target = \"nope\"\n}\n");
    let e = load_err(&bake_target);
    assert_eq!((e.at.line, e.at.column), (2, 3), "{e}");

    let undefined_var = write(d, "docker-bake.hcl", "target \"a\" {\n  tags = [\"x:${NOPE}\"]\n}\n");
    let e = load_err(&undefined_var);
    assert_eq!(e.at.line, 2, "{e}");
    assert!(e.message.contains("NOPE"), "{e}");

    let required = write(d, "compose.yaml", "services:\n  api:\n    build:\n      context: ${CTX:?set CTX}\n");
    let e = load_err(&required);
    assert_eq!((e.at.line, e.at.column), (4, 7), "{e}");
    assert!(e.message.contains("set CTX"), "{e}");
}

/// Mangled inputs give an error or a project, never a panic or a hang.
#[test]
fn mangled_files_never_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let seeds: Vec<(&str, String)> = vec![
        ("compose.yaml", std::fs::read_to_string(workspace().join("examples/churn-api/docker-compose.yml")).unwrap()),
        ("docker-bake.hcl", BAKE.to_string()),
        ("docker-bake.json", "{\"target\": {\"a\": {\"inherits\": [\"b\"], \"args\": {\"X\": \"${Y}\"}}, \"b\": {\"matrix\": {\"v\": [1, 2]}}}}".to_string()),
        ("compose.yaml", "a: &a [*a]\nb: &b {<<: *b}\nservices: {x: {build: {<<: [*a]}}}\n".to_string()),
    ];
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let alphabet = b"{}[]\"'$:-=<>*&!|#,\n \t\\abc${}()";
    for (name, seed) in &seeds {
        for _ in 0..300 {
            let mut bytes = seed.as_bytes().to_vec();
            for _ in 0..(next() % 6 + 1) {
                if bytes.is_empty() {
                    break;
                }
                let i = (next() as usize) % bytes.len();
                match next() % 3 {
                    0 => bytes[i] = alphabet[(next() as usize) % alphabet.len()],
                    1 => {
                        bytes.remove(i);
                    }
                    _ => bytes.truncate(i),
                }
            }
            let path = tmp.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let result: Result<Project, Error> = load_with_env(&path, &no_env());
            if let Ok(p) = result {
                let _ = check(&p);
            }
        }
    }
}

#[test]
fn discovery_prefers_compose_yaml_and_lists_bake_files() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(discover(tmp.path()).is_empty());
    write(tmp.path(), "docker-compose.yml", "services: {}\n");
    write(tmp.path(), "compose.yaml", "services: {}\n");
    write(tmp.path(), "docker-bake.hcl", "");
    assert_eq!(discover(tmp.path()), vec![tmp.path().join("compose.yaml"), tmp.path().join("docker-bake.hcl")]);
    assert!(dockstage_project::is_project_file(Path::new("deploy/docker-compose.prod.yml")));
    assert!(!dockstage_project::is_project_file(Path::new("Dockerfile")));
    let e = load(Path::new("Dockerfile")).unwrap_err();
    assert!(e.message.contains("not a compose or bake file"), "{e}");
}

/// A service built from a stage of a Dockerfile kept beside a shared compose file in another
/// directory, extended from the main file (`file:` form) and again within it (name form).
fn extends_project(d: &Path) -> PathBuf {
    write(d, "shared/svc/Dockerfile", TWO_STAGES);
    write(d, "shared/common.yml", "services:\n  builder:\n    build:\n      context: svc\n      target: base\n      args:\n        A: \"1\"\n      tags: [svc:base]\n");
    write(d, "compose.yaml", "services:\n  api:\n    extends:\n      file: shared/common.yml\n      service: builder\n    build:\n      args:\n        - B=2\n      tags: [svc:api]\n  worker:\n    extends: api\n    build:\n      target: app\n")
}

#[test]
fn compose_extends_in_the_same_file_and_from_another_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let file = extends_project(d);
    let p = load_with_env(&file, &no_env()).unwrap();
    check(&p).unwrap();
    assert_eq!(p.files, vec![file.clone(), d.join("shared/common.yml")]);
    let [api, worker] = &p.builds[..] else { panic!("{:#?}", p.builds) };
    // The other file's context is relative to that file, not to compose.yaml.
    assert_eq!(api.context.as_deref(), Some(d.join("shared/svc").as_path()));
    assert_eq!(api.dockerfile, DockerfileSource::File(d.join("shared/svc/Dockerfile")));
    assert_eq!(api.target.as_deref(), Some("base"));
    assert_eq!(api.args, BTreeMap::from([("A".into(), "1".into()), ("B".into(), "2".into())]));
    assert_eq!(api.tags, ["svc:base", "svc:api"]);
    // Positions are the extending service's, in the file that defines it.
    assert_eq!((api.file.as_path(), api.at.line, api.at.column), (file.as_path(), 2, 3));
    // The target came from the other file: no position in this one.
    assert_eq!(api.target_at.line, 0);
    // `worker` extends `api` (after api's own extends), overriding the target.
    assert_eq!(worker.dockerfile, api.dockerfile);
    assert_eq!(worker.target.as_deref(), Some("app"));
    assert_eq!((worker.target_at.line, worker.target_at.column), (13, 7));
    assert_eq!(worker.args, api.args);
}

#[test]
fn compose_extends_errors_name_the_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "Dockerfile", TWO_STAGES);
    let cycle = write(d, "compose.yaml", "services:\n  a:\n    extends: b\n    build: .\n  b:\n    extends:\n      service: a\n");
    let e = load_err(&cycle);
    assert_eq!(e.file, cycle);
    assert!(e.message.contains("extends: a cycle: a -> b -> a"), "{e}");
    assert_eq!((e.at.line, e.at.column), (3, 5), "{e}");

    let missing_file = write(d, "compose.yaml", "services:\n  a:\n    extends:\n      service: base\n      file: nope.yml\n");
    let e = load_err(&missing_file);
    assert_eq!(e.to_string(), format!("{}:5:7: a: extends file {}: no such file", missing_file.display(), d.join("nope.yml").display()));

    let unknown = write(d, "compose.yaml", "services:\n  a:\n    extends:\n      service: nope\n");
    let e = load_err(&unknown);
    assert_eq!((e.at.line, e.at.column), (4, 7), "{e}");
    assert!(e.message.contains("extends service \"nope\""), "{e}");

    // An error inside the extended file is reported in that file.
    write(d, "base.yml", "services:\n  base:\n    build:\n      context: .\n      target: nope\n");
    let other = write(d, "compose.yaml", "services:\n  a:\n    extends: {file: base.yml, service: base}\n");
    let e = load_err(&other);
    assert_eq!(e.file, other, "{e}");
    assert!(e.message.contains("unknown target \"nope\""), "{e}");
    let bad = write(d, "base.yml", "services:\n  base: [\n");
    let e = load_err(&other);
    assert_eq!(e.file, bad, "{e}");
    assert!(e.message.starts_with("invalid YAML"), "{e}");
}

#[test]
fn several_compose_files_merge_build_sections_as_compose_does() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let base = workspace().join("examples/churn-api/docker-compose.yml");
    // The seed's churn-api project with an override file kept in a subdirectory: its paths
    // are still relative to the first file's directory, as compose reads them.
    let over = write(
        d,
        "overrides/docker-compose.dev.yml",
        "services:\n  train:\n    build:\n      args: [EPOCHS=1]\n      tags: [churn-train:dev]\n  api:\n    build:\n      dockerfile: docker/Dockerfile.train\n      args:\n        DEBUG: \"1\"\n  extra:\n    build: docker\n",
    );
    let p = load_files_with_env(&[base.clone(), over.clone()], &no_env()).unwrap();
    assert_eq!(p.files, vec![base.clone(), over.clone()]);
    let root = workspace().join("examples/churn-api");
    let names: Vec<&str> = p.builds.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["train", "api", "extra"]);
    let (train, api, extra) = (&p.builds[0], &p.builds[1], &p.builds[2]);
    assert_eq!(train.dockerfile, DockerfileSource::File(root.join("docker/Dockerfile.train")));
    assert_eq!(train.args, BTreeMap::from([("EPOCHS".into(), "1".into())]));
    assert_eq!(train.tags, ["churn-train:dev"]);
    assert_eq!(api.dockerfile, DockerfileSource::File(root.join("docker/Dockerfile.train")));
    assert_eq!(api.args, BTreeMap::from([("DEBUG".into(), "1".into())]));
    // Positions stay with the base file's definition; the override's dockerfile line is not
    // one of the base file's.
    assert_eq!((api.file.as_path(), api.at.line), (base.as_path(), 12));
    assert_eq!(api.dockerfile_at.line, 0);
    // A service only the override defines is at its place in the override.
    assert_eq!((extra.file.as_path(), extra.at.line, extra.at.column), (over.as_path(), 11, 3));
    assert_eq!(extra.context.as_deref(), Some(root.join("docker").as_path()));

    // Merged both ways: a later file's args replace an earlier one's by name, whichever form
    // (mapping or NAME=VALUE list) each uses; a build string is a context.
    let a = write(d, "a/compose.yaml", "services:\n  s:\n    build: ctx\n");
    let b = write(d, "a/b.yml", "services:\n  s:\n    build:\n      args: {X: one, Y: two}\n");
    let c = write(d, "a/c.yml", "services:\n  s:\n    build:\n      args: [X=three]\n");
    let p = load_files_with_env(&[a, b, c], &no_env()).unwrap();
    assert_eq!(p.builds[0].context.as_deref(), Some(d.join("a/ctx").as_path()));
    assert_eq!(p.builds[0].args, BTreeMap::from([("X".into(), "three".into()), ("Y".into(), "two".into())]));

    // An error in the second file is the second file's.
    let broken = write(d, "broken.yml", "services:\n  api:\n    build: {args: [\n");
    let e = load_files_with_env(&[base.clone(), broken.clone()], &no_env()).unwrap_err();
    assert_eq!(e.file, broken, "{e}");
    assert_eq!(e.at.line, 4, "{e}");
    let bake = write(d, "docker-bake.hcl", "");
    let e = load_files_with_env(&[base, bake], &no_env()).unwrap_err();
    assert!(e.message.contains("only compose files are merged"), "{e}");
}

#[test]
fn discovery_reads_the_override_file_beside_the_compose_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "docker-compose.yml", "services: {}\n");
    assert_eq!(discover_compose(d), vec![d.join("docker-compose.yml")]);
    write(d, "docker-compose.override.yml", "services: {}\n");
    // Only the override of the file compose picks (compose.override.yaml belongs to compose.yaml).
    write(d, "compose.override.yaml", "services: {}\n");
    assert_eq!(discover_compose(d), vec![d.join("docker-compose.yml"), d.join("docker-compose.override.yml")]);
    write(d, "compose.yaml", "services: {}\n");
    assert_eq!(discover_compose(d), vec![d.join("compose.yaml"), d.join("compose.override.yaml")]);
}

/// Mangled extended and override files give an error or a project, never a panic or a hang.
#[test]
fn mangled_extends_and_override_files_never_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let main = extends_project(d);
    let common = d.join("shared/common.yml");
    let seeds = [(common.clone(), std::fs::read_to_string(&common).unwrap()), (main.clone(), std::fs::read_to_string(&main).unwrap())];
    let over = write(d, "compose.override.yaml", "services:\n  api:\n    build: {args: [C=3]}\n");
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let alphabet = b"{}[]\"'$:-=<>*&!|#,\n \t\\abc${}()";
    for (path, seed) in &seeds {
        for _ in 0..300 {
            let mut bytes = seed.as_bytes().to_vec();
            for _ in 0..(next() % 6 + 1) {
                if bytes.is_empty() {
                    break;
                }
                let i = (next() as usize) % bytes.len();
                match next() % 3 {
                    0 => bytes[i] = alphabet[(next() as usize) % alphabet.len()],
                    1 => {
                        bytes.remove(i);
                    }
                    _ => bytes.truncate(i),
                }
            }
            std::fs::write(path, &bytes).unwrap();
            for files in [vec![main.clone()], vec![main.clone(), over.clone()], vec![over.clone(), main.clone()]] {
                if let Ok(p) = load_files_with_env(&files, &no_env()) {
                    let _ = check(&p);
                }
            }
        }
        std::fs::write(path, seed).unwrap();
    }
}
