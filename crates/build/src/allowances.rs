//! What a multi-stage rewrite may change in the application's files without changing the
//! application, each rule as narrow as its reason:
//!
//! * **Sources of a compiled program.** When the original compiles its program (`go build`,
//!   `cargo build`, `mvn`/`gradle`, `tsc` or a package manager's `build` script), the files it
//!   compiled from (`*.go` and `go.mod`, `*.ts` and `tsconfig.json`, `*.rs` and `Cargo.toml`,
//!   `*.java` and `pom.xml`, ...) plus the build's own files (the Dockerfile, its ignore file)
//!   are build inputs: the rewrite may leave them in the builder. READMEs and other `*.md`
//!   beside them are docs. Without a compile step in the original, neither is allowed to go.
//! * **A Go program rebuilt static.** When the rewrite builds with `CGO_ENABLED=0` and the
//!   original did not, the binaries the original's `go build -o PATH` wrote are linked
//!   differently, so their bytes differ: they are compared by presence and named in the
//!   report. Every other file must still have the same bytes.
//! * **Package-manager metadata.** npm's hidden lock file `node_modules/.package-lock.json`
//!   (and yarn's `.yarn-integrity`, pnpm's `.modules.yaml`) describe the tree the package
//!   manager last wrote: a prune of the dev dependencies rewrites them. A difference is noted,
//!   not failed; the packages themselves are compared file by file.
use std::collections::BTreeSet;

use dockstage_syntax::Keyword;

/// A language whose program the original compiles, with its source files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Compiled {
    Go,
    TypeScript,
    Rust,
    Java,
}

impl Compiled {
    fn is_source(self, name: &str) -> bool {
        let ext = |e: &[&str]| e.iter().any(|x| name.ends_with(x));
        match self {
            Compiled::Go => ext(&[".go"]) || matches!(name, "go.mod" | "go.sum" | "go.work" | "go.work.sum"),
            Compiled::TypeScript => {
                ext(&[".ts", ".tsx", ".mts", ".cts"]) || (name.starts_with("tsconfig") && name.ends_with(".json"))
            }
            Compiled::Rust => ext(&[".rs"]) || matches!(name, "Cargo.toml" | "Cargo.lock"),
            Compiled::Java => {
                ext(&[".java", ".kt"])
                    || matches!(name, "pom.xml" | "gradlew" | "mvnw")
                    || name.starts_with("build.gradle")
                    || name.starts_with("settings.gradle")
            }
        }
    }
}

/// Why a file of the original's application may be absent from, or differ in, the rewrite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allowance {
    /// A source or build file of the compiled program.
    Source,
    /// A README or other Markdown beside the sources of a compiled program.
    Doc,
}

/// The rules' inputs, read once from both Dockerfiles.
#[derive(Clone, Debug, Default)]
pub struct Allowances {
    compiled: BTreeSet<Compiled>,
    /// Absolute paths of binaries the rewrite rebuilds with `CGO_ENABLED=0`.
    rebuilt_static: Vec<String>,
}

fn words(run: &str) -> Vec<&str> {
    run.split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect()
}

fn sets_cgo_off(dockerfile: &str) -> bool {
    let Ok(df) = dockstage_syntax::parse(dockerfile) else { return false };
    df.instructions.iter().map(|i| i.effective()).any(|i| match i.kind {
        Keyword::Env => i.key_values().iter().any(|(k, v)| *k == "CGO_ENABLED" && v.trim_matches(['"', '\'']) == "0"),
        Keyword::Run => i.args.iter().any(|a| words(a).contains(&"CGO_ENABLED=0")),
        _ => false,
    })
}

fn join(dir: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("{}/{}", dir.trim_end_matches('/'), rel.trim_start_matches("./"))
    }
}

impl Allowances {
    pub fn new(original: &str, rewrite: &str) -> Allowances {
        let mut out = Allowances::default();
        let Ok(df) = dockstage_syntax::parse(original) else { return out };
        let mut go_outputs = Vec::new();
        let mut workdir = "/".to_string();
        for ins in df.instructions.iter().map(|i| i.effective()) {
            match ins.kind {
                Keyword::From => workdir = "/".to_string(),
                Keyword::Workdir => {
                    if let Some(w) = ins.args.first() {
                        workdir = join(&workdir, w);
                    }
                }
                Keyword::Run => {
                    let text = ins.args.join(" ");
                    let w = words(&text);
                    let pair = |a: &str, b: &[&str]| w.windows(2).any(|p| p[0] == a && b.contains(&p[1]));
                    if pair("go", &["build", "install"]) {
                        out.compiled.insert(Compiled::Go);
                        // Each `-o PATH` of the line (one go build per line in practice).
                        for (i, word) in w.iter().enumerate() {
                            let path = match word.strip_prefix("-o=") {
                                Some(p) => Some(p),
                                None if *word == "-o" => w.get(i + 1).copied(),
                                None => None,
                            };
                            if let Some(p) = path.filter(|p| !p.contains('$')) {
                                go_outputs.push(join(&workdir, p));
                            }
                        }
                    }
                    if pair("cargo", &["build", "install"]) {
                        out.compiled.insert(Compiled::Rust);
                    }
                    if w.iter().any(|x| matches!(*x, "mvn" | "./mvnw" | "gradle" | "./gradlew")) {
                        out.compiled.insert(Compiled::Java);
                    }
                    let script_build = ["npm", "yarn", "pnpm"].iter().any(|pm| {
                        pair(pm, &["build"]) || w.windows(3).any(|p| p[0] == *pm && p[1] == "run" && p[2] == "build")
                    });
                    if w.contains(&"tsc") || script_build {
                        out.compiled.insert(Compiled::TypeScript);
                    }
                }
                _ => {}
            }
        }
        if sets_cgo_off(rewrite) && !sets_cgo_off(original) {
            out.rebuilt_static = go_outputs;
        }
        out
    }

    /// Why `path` (absolute, a file of the original's application) may be absent from the
    /// rewrite, if it may.
    pub fn may_be_absent(&self, path: &str) -> Option<Allowance> {
        if self.compiled.is_empty() || path.contains("/node_modules/") {
            return None;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        if self.compiled.iter().any(|c| c.is_source(name))
            || name == "Dockerfile"
            || name.starts_with("Dockerfile.")
            || name.ends_with(".dockerignore")
        {
            Some(Allowance::Source)
        } else if name.ends_with(".md") || name.starts_with("README") {
            Some(Allowance::Doc)
        } else {
            None
        }
    }

    /// Whether `path`'s bytes may differ because the rewrite rebuilds it static.
    pub fn rebuilt_static(&self, path: &str) -> bool {
        self.rebuilt_static.iter().any(|p| p == path)
    }
}

/// Whether `path` is a package manager's record of the tree it wrote.
pub fn is_package_manager_metadata(path: &str) -> bool {
    ["node_modules/.package-lock.json", "node_modules/.yarn-integrity", "node_modules/.modules.yaml"]
        .iter()
        .any(|m| path.ends_with(&format!("/{m}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GO: &str = "FROM golang:1.19\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/app ./cmd/app && go build -o=bin/tool ./cmd/tool\nCMD [\"app\"]\n";
    const GO_SPLIT: &str = "FROM golang:1.19 AS builder\nENV CGO_ENABLED=0\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/app ./cmd/app\nFROM scratch\nCOPY --from=builder /usr/local/bin/app /usr/local/bin/app\n";

    #[test]
    fn a_compiled_programs_sources_and_build_files_may_stay_in_the_builder() {
        let a = Allowances::new(GO, GO_SPLIT);
        assert_eq!(a.may_be_absent("/src/cmd/app/main.go"), Some(Allowance::Source));
        assert_eq!(a.may_be_absent("/src/go.mod"), Some(Allowance::Source));
        assert_eq!(a.may_be_absent("/src/Dockerfile"), Some(Allowance::Source));
        assert_eq!(a.may_be_absent("/src/README.md"), Some(Allowance::Doc));
        // What the program may read at run time is not a source.
        assert_eq!(a.may_be_absent("/src/templates/index.html"), None);
        assert_eq!(a.may_be_absent("/src/config.yaml"), None);
        // A TypeScript source is not a Go program's source.
        assert_eq!(a.may_be_absent("/src/web/app.ts"), None);
    }

    #[test]
    fn without_a_compile_step_nothing_may_go() {
        let a = Allowances::new("FROM python:3.11\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"main.py\"]\n", "");
        for p in ["/app/main.py", "/app/README.md", "/app/Dockerfile", "/app/tool.go"] {
            assert_eq!(a.may_be_absent(p), None, "{p}");
        }
        let node = Allowances::new("FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"npx\", \"ts-node\", \"src/server.ts\"]\n", "");
        assert_eq!(node.may_be_absent("/app/src/server.ts"), None, "ts-node runs the sources");
        let tsc = Allowances::new("FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n", "");
        assert_eq!(tsc.may_be_absent("/app/src/server.ts"), Some(Allowance::Source));
        assert_eq!(tsc.may_be_absent("/app/tsconfig.json"), Some(Allowance::Source));
        assert_eq!(tsc.may_be_absent("/app/node_modules/ms/index.ts"), None);
    }

    #[test]
    fn only_go_build_outputs_rebuilt_with_cgo_off_may_differ() {
        let a = Allowances::new(GO, GO_SPLIT);
        assert!(a.rebuilt_static("/usr/local/bin/app"));
        assert!(a.rebuilt_static("/src/bin/tool"));
        assert!(!a.rebuilt_static("/src/go.mod"));
        // The original already built static: the bytes must match.
        let static_original = GO.replace("RUN go build", "RUN CGO_ENABLED=0 go build");
        assert!(!Allowances::new(&static_original, GO_SPLIT).rebuilt_static("/usr/local/bin/app"));
        // The rewrite keeps cgo: the bytes must match.
        let same = GO_SPLIT.replace("ENV CGO_ENABLED=0\n", "");
        assert!(!Allowances::new(GO, &same).rebuilt_static("/usr/local/bin/app"));
    }

    #[test]
    fn package_manager_metadata_is_named_by_its_place() {
        assert!(is_package_manager_metadata("/app/node_modules/.package-lock.json"));
        assert!(is_package_manager_metadata("/app/node_modules/.yarn-integrity"));
        assert!(!is_package_manager_metadata("/app/package-lock.json"));
        assert!(!is_package_manager_metadata("/app/node_modules/ms/package.json"));
    }
}
