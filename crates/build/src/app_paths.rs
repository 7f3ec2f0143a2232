//! The application's own paths, the files a rewrite must keep: every WORKDIR and COPY/ADD
//! destination of the original's final stage, the virtualenv or pip user base its ENV names,
//! the installed Python packages wherever their `site-packages` is, and the program its
//! ENTRYPOINT/CMD starts, looked up on the image's PATH.
//!
//! Paths are compared by key, not by place: a package installed under
//! `/usr/local/lib/python3.11/dist-packages` by the original and under
//! `/opt/deps/lib/python3.11/site-packages` by the rewrite is the same file, and so is the
//! `streamlit` script on each image's PATH.
use dockstage_syntax::Keyword;

use dockstage_image::config::ImageConfig;

/// Key prefix of files inside an installed-Python-packages directory.
pub const PYTHON_PACKAGES: &str = "<python packages>/";
/// Key prefix of the program the image starts.
pub const COMMAND: &str = "<command>/";

#[derive(Clone, Debug, Default)]
pub struct AppPaths {
    /// Absolute directories or files (components), compared in place.
    roots: Vec<Vec<String>>,
    /// PATH candidates of the command: (components, program name).
    command: Vec<(Vec<String>, String)>,
}

/// Debian's own Python packages (pip, apt's python3-*) are the base's, not the app's.
const DEBIAN_PYTHON: [&str; 4] = ["usr", "lib", "python3", "dist-packages"];

fn components(path: &str) -> Vec<String> {
    path.split('/').filter(|p| !p.is_empty() && *p != ".").map(str::to_string).collect()
}

fn join(dir: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("{}/{rel}", dir.trim_end_matches('/'))
    }
}

impl AppPaths {
    /// The paths the final stage of `dockerfile` puts the application in. Paths built from
    /// variables are skipped (the image's own WorkingDir still counts).
    pub fn from_dockerfile(dockerfile: &str) -> AppPaths {
        let mut app = AppPaths::default();
        let Ok(df) = dockstage_syntax::parse(dockerfile) else {
            return app;
        };
        let start = df.instructions.iter().rposition(|i| i.kind == Keyword::From).map_or(0, |i| i + 1);
        let mut workdir = "/".to_string();
        for ins in &df.instructions[start..] {
            let eff = ins.effective();
            match eff.kind {
                Keyword::Workdir => {
                    if let Some(w) = eff.args.first().filter(|w| !w.contains('$')) {
                        workdir = join(&workdir, w);
                        app.add(&workdir);
                    }
                }
                Keyword::Copy | Keyword::Add if eff.args.len() >= 2 => {
                    if let Some(dest) = eff.args.last().filter(|d| !d.contains('$')) {
                        app.add(&join(&workdir, dest));
                    }
                }
                Keyword::Env => {
                    for (k, v) in eff.key_values() {
                        if matches!(k, "VIRTUAL_ENV" | "PYTHONUSERBASE") && !v.contains('$') {
                            app.add(v);
                        }
                    }
                }
                _ => {}
            }
        }
        app
    }

    /// Adds an absolute path (the root itself is never an application path).
    pub fn add(&mut self, path: &str) {
        let c = components(path);
        if !c.is_empty() && !self.roots.contains(&c) {
            self.roots.push(c);
        }
    }

    /// The same paths plus the program `config` starts, on `config`'s PATH.
    pub fn with_command(&self, config: &ImageConfig) -> AppPaths {
        let mut out = self.clone();
        let Some(rc) = &config.config else { return out };
        let argv: Vec<&String> = rc.entrypoint.iter().flatten().chain(rc.cmd.iter().flatten()).collect();
        let Some(program) = argv.first() else { return out };
        if program.contains('/') {
            out.add(program);
            return out;
        }
        let path = rc
            .env
            .iter()
            .flatten()
            .find_map(|e| e.strip_prefix("PATH="))
            .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        for dir in path.split(':').filter(|d| d.starts_with('/')) {
            let mut c = components(dir);
            c.push(program.to_string());
            out.command.push((c, program.to_string()));
        }
        out
    }

    /// The roots, for reports.
    pub fn roots(&self) -> Vec<String> {
        self.roots.iter().map(|c| format!("/{}", c.join("/"))).collect()
    }

    /// The comparison key of the entry at `parts` (components of its absolute path), or
    /// `None` when it is not an application file.
    pub fn key(&self, parts: &[&str]) -> Option<String> {
        if let Some(i) = parts.iter().position(|p| *p == "site-packages" || *p == "dist-packages") {
            if parts[..=i] != DEBIAN_PYTHON[..] && i + 1 < parts.len() {
                return Some(format!("{PYTHON_PACKAGES}{}", parts[i + 1..].join("/")));
            }
        }
        for (c, name) in &self.command {
            if c.len() == parts.len() && c.iter().zip(parts).all(|(a, b)| a == b) {
                return Some(format!("{COMMAND}{name} at /{}", parts.join("/")));
            }
        }
        let under = self
            .roots
            .iter()
            .any(|r| r.len() <= parts.len() && r.iter().zip(parts).all(|(a, b)| a == b));
        under.then(|| format!("/{}", parts.join("/")))
    }
}

/// A command found at several PATH entries is the first one's: keys
/// `<command>/NAME at /DIR/NAME` become `<command>/NAME` for the first existing DIR in PATH
/// order, and the others are dropped.
pub fn settle_commands(
    files: &mut std::collections::HashMap<String, (String, dockstage_image::layer::Content)>,
    app: &AppPaths,
) {
    let mut chosen: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for (c, name) in &app.command {
        let key = format!("{COMMAND}{name} at /{}", c.join("/"));
        if files.contains_key(&key) && !chosen.contains_key(name.as_str()) {
            chosen.insert(name, key);
        }
    }
    let keys: Vec<String> = files.keys().filter(|k| k.starts_with(COMMAND)).cloned().collect();
    for k in keys {
        let v = files.remove(&k).expect("listed");
        if let Some((name, _)) = k[COMMAND.len()..].split_once(" at ") {
            if chosen.get(name) == Some(&k) {
                files.insert(format!("{COMMAND}{name}"), v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workdir_copy_and_env_paths_are_the_apps() {
        let app = AppPaths::from_dockerfile(
            "FROM python:3.11\nWORKDIR /app\nCOPY requirements.txt .\nCOPY src/ ./src/\nENV VIRTUAL_ENV=/opt/venv\nCOPY x /etc/x.conf\nWORKDIR sub\nCOPY x $DEST\n",
        );
        assert_eq!(app.roots(), ["/app", "/app/src", "/opt/venv", "/etc/x.conf", "/app/sub"]);
        assert_eq!(app.key(&["app", "src", "main.py"]).as_deref(), Some("/app/src/main.py"));
        assert_eq!(app.key(&["etc", "x.conf"]).as_deref(), Some("/etc/x.conf"));
        assert_eq!(app.key(&["etc", "passwd"]), None);
    }

    #[test]
    fn python_packages_compare_by_their_place_in_site_packages() {
        let app = AppPaths::default();
        let a = app.key(&["usr", "local", "lib", "python3.11", "dist-packages", "flask", "app.py"]);
        let b = app.key(&["opt", "deps", "lib", "python3.11", "site-packages", "flask", "app.py"]);
        assert_eq!(a, b);
        assert!(a.unwrap().starts_with(PYTHON_PACKAGES));
        assert_eq!(app.key(&["usr", "lib", "python3", "dist-packages", "pip", "x.py"]), None);
    }

    #[test]
    fn the_command_is_looked_up_on_the_images_path() {
        let config: ImageConfig = serde_json::from_str(
            r#"{"config":{"Env":["PATH=/opt/deps/bin:/usr/bin"],"Cmd":["streamlit","run","app.py"]}}"#,
        )
        .unwrap();
        let app = AppPaths::default().with_command(&config);
        let mut files = std::collections::HashMap::new();
        for p in [&["opt", "deps", "bin", "streamlit"][..], &["usr", "bin", "streamlit"][..]] {
            let k = app.key(p).expect("a PATH candidate");
            files.insert(k, (format!("/{}", p.join("/")), dockstage_image::layer::Content::Other));
        }
        settle_commands(&mut files, &app);
        assert_eq!(files.len(), 1);
        assert_eq!(files["<command>/streamlit"].0, "/opt/deps/bin/streamlit");
    }
}
