//! Compose files: `services.<name>.build`, as the Compose Specification's build section defines
//! it (a context string, or a mapping with context, dockerfile, dockerfile_inline, target, args,
//! additional_contexts, tags, platforms, x-bake).

use std::collections::BTreeMap;
use std::path::Path;

use std::path::PathBuf;

use crate::merge::{self, Keep};
use crate::yaml::{self, Node, Value};
use crate::{clean_join, interpolate, local_context, normalize, BuildSpec, DockerfileSource, Error, Kind, Pos, Project};

/// Reads compose files (each `(path, text)`) and merges them in order, as `docker compose -f a
/// -f b` does; each file's `extends` is applied before the merge, as compose applies it.
/// Relative paths are relative to `dir`, the first file's directory.
pub(crate) fn resolve(files: &[(&Path, String)], dir: &Path, env: &BTreeMap<String, String>) -> Result<Project, Error> {
    let mut loader = Loader { paths: Vec::new(), roots: Vec::new(), env };
    let mut merged: Option<Node> = None;
    for (file, text) in files {
        let i = loader.add(file, text)?;
        let root = loader.apply_extends(i)?;
        merged = Some(match merged {
            None => root,
            Some(base) => merge::merge_root(base, root),
        });
    }
    let root = merged.ok_or_else(|| Error::new(dir, Pos::default(), "no compose file"))?;
    let paths = loader.paths;
    let file_of = |n: &Node| paths[n.src].clone();
    let str_at = |n: &Node| -> Result<String, Error> {
        let s = n.as_str().ok_or_else(|| Error::new(&file_of(n), n.at, format!("expected a string, found {}", n.kind())))?;
        interpolate(s, env).map_err(|e| Error::new(&file_of(n), n.at, e))
    };
    let name = root.get("name").map(str_at).transpose()?;
    let mut project = Project { file: paths[0].clone(), files: paths.clone(), kind: Kind::Compose, name, builds: Vec::new(), image_only: Vec::new() };
    let Some(services) = root.get("services") else { return Ok(project) };
    let Value::Map(services) = &services.value else {
        return Err(Error::new(&file_of(services), services.at, format!("services must be a mapping, found {}", services.kind())));
    };
    for (service, def) in services {
        let Some(build) = def.get("build") else {
            project.image_only.push(service.clone());
            continue;
        };
        let profiles = match def.get("profiles") {
            Some(p) => strings(&file_of(p), p, &str_at)?,
            None => Vec::new(),
        };
        let mut spec = BuildSpec {
            name: service.clone(),
            file: file_of(def),
            at: def.at,
            context: None,
            context_spec: ".".into(),
            dockerfile: DockerfileSource::File(Default::default()),
            dockerfile_at: Pos::default(),
            target: None,
            target_at: Pos::default(),
            args: BTreeMap::new(),
            additional_contexts: BTreeMap::new(),
            tags: Vec::new(),
            platforms: Vec::new(),
            profiles,
            inherits: Vec::new(),
            x_bake: BTreeMap::new(),
        };
        let mut dockerfile = "Dockerfile".to_string();
        match &build.value {
            Value::Scalar(_) => spec.context_spec = str_at(build)?,
            Value::Map(_) => {
                if let Some(c) = build.get("context") {
                    spec.context_spec = str_at(c)?;
                }
                if let Some(d) = build.get("dockerfile") {
                    dockerfile = str_at(d)?;
                    spec.dockerfile_at = same_file(def, d);
                }
                if let Some(t) = build.get("target") {
                    spec.target = Some(str_at(t)?);
                    spec.target_at = same_file(def, t);
                }
                if let Some(a) = build.get("args") {
                    spec.args = key_values(&file_of(a), a, env, &str_at, true)?;
                }
                if let Some(a) = build.get("additional_contexts") {
                    spec.additional_contexts = key_values(&file_of(a), a, env, &str_at, false)?;
                }
                if let Some(t) = build.get("tags") {
                    spec.tags = strings(&file_of(t), t, &str_at)?;
                }
                if let Some(p) = build.get("platforms") {
                    spec.platforms = strings(&file_of(p), p, &str_at)?;
                }
                if let Some(Node { value: Value::Map(m), .. }) = build.get("x-bake") {
                    for (k, v) in m {
                        let text = match &v.value {
                            Value::Scalar(_) => str_at(v)?,
                            Value::Seq(_) => strings(&file_of(v), v, &str_at)?.join(","),
                            _ => continue,
                        };
                        spec.x_bake.insert(k.clone(), text);
                    }
                }
                if let Some(inline) = build.get("dockerfile_inline") {
                    if build.get("dockerfile").is_some() {
                        return Err(Error::new(&file_of(inline), inline.at, format!("{service}: dockerfile and dockerfile_inline are mutually exclusive")));
                    }
                    // Compose does not interpolate the inline Dockerfile's own `${...}`.
                    let text = inline.as_str().ok_or_else(|| Error::new(&file_of(inline), inline.at, "dockerfile_inline must be a string"))?;
                    spec.dockerfile = DockerfileSource::Inline(text.to_string());
                    spec.dockerfile_at = same_file(def, inline);
                }
            }
            _ => return Err(Error::new(&file_of(build), build.at, format!("{service}: build must be a context path or a mapping, found {}", build.kind()))),
        }
        spec.context = local_context(dir, &spec.context_spec);
        if let (DockerfileSource::File(_), Some(ctx)) = (&spec.dockerfile, &spec.context) {
            spec.dockerfile = DockerfileSource::File(clean_join(ctx, Path::new(&dockerfile)));
        } else if let DockerfileSource::File(_) = spec.dockerfile {
            spec.dockerfile = DockerfileSource::File(dockerfile.into());
        }
        project.builds.push(spec);
    }
    Ok(project)
}

/// A node's position when it is in the same file as the service's (a position in another
/// merged or extended file would be read against the wrong file); unknown otherwise.
fn same_file(service: &Node, n: &Node) -> Pos {
    if n.src == service.src {
        n.at
    } else {
        Pos::default()
    }
}

/// The files read so far (the given ones, then those `extends: {file: ...}` names), parsed.
struct Loader<'a> {
    paths: Vec<PathBuf>,
    roots: Vec<Node>,
    env: &'a BTreeMap<String, String>,
}

impl Loader<'_> {
    fn add(&mut self, file: &Path, text: &str) -> Result<usize, Error> {
        let i = self.paths.len();
        let root = yaml::parse(file, text, i)?;
        if !matches!(root.value, Value::Map(_)) {
            return Err(Error::new(file, root.at, format!("a compose file is a mapping, not {}", root.kind())));
        }
        if let Some(s) = root.get("services") {
            if !matches!(s.value, Value::Map(_) | Value::Null) {
                return Err(Error::new(file, s.at, format!("services must be a mapping, found {}", s.kind())));
            }
        }
        self.paths.push(file.to_path_buf());
        self.roots.push(root);
        Ok(i)
    }

    fn service(&self, file: usize, name: &str) -> Option<&Node> {
        self.roots[file].get("services")?.get(name)
    }

    fn text(&self, n: &Node) -> Result<String, Error> {
        let s = n.as_str().ok_or_else(|| Error::new(&self.paths[n.src], n.at, format!("expected a string, found {}", n.kind())))?;
        interpolate(s, self.env).map_err(|e| Error::new(&self.paths[n.src], n.at, e))
    }

    /// The file's root with every service's `extends` applied.
    fn apply_extends(&mut self, file: usize) -> Result<Node, Error> {
        let mut root = self.roots[file].clone();
        let names: Vec<String> = match root.get("services") {
            Some(Node { value: Value::Map(m), .. }) => m.iter().map(|(k, _)| k.clone()).collect(),
            _ => return Ok(root),
        };
        let mut extended = Vec::new();
        for name in names {
            extended.push((name.clone(), self.extend(file, &name, &mut Vec::new())?));
        }
        if let Value::Map(entries) = &mut root.value {
            if let Some((_, Node { value: Value::Map(services), .. })) = entries.iter_mut().find(|(k, _)| k == "services") {
                for (name, def) in extended {
                    if let Some(slot) = services.iter_mut().find(|(k, _)| *k == name) {
                        slot.1 = def;
                    }
                }
            }
        }
        Ok(root)
    }

    /// A service with what it extends merged under it (the service's own keys win), following
    /// chains across files; `chain` is the path here, to report a cycle.
    fn extend(&mut self, file: usize, name: &str, chain: &mut Vec<(PathBuf, String)>) -> Result<Node, Error> {
        let def = self.service(file, name).cloned().ok_or_else(|| Error::new(&self.paths[file], Pos::default(), format!("no service {name:?}")))?;
        let Some(ext) = def.get("extends").cloned() else { return Ok(def) };
        let here = (std::fs::canonicalize(&self.paths[file]).unwrap_or_else(|_| self.paths[file].clone()), name.to_string());
        if chain.contains(&here) {
            let mut names: Vec<&str> = chain.iter().map(|(_, s)| s.as_str()).collect();
            names.push(name);
            return Err(Error::new(&self.paths[ext.src], ext.at, format!("extends: a cycle: {}", names.join(" -> "))));
        }
        chain.push(here);
        let (base_name, base_file) = match &ext.value {
            Value::Scalar(_) => (self.text(&ext)?, None),
            Value::Map(_) => {
                let s = ext.get("service").ok_or_else(|| Error::new(&self.paths[ext.src], ext.at, format!("{name}: extends needs a service")))?;
                (self.text(s)?, ext.get("file").map(|f| Ok::<_, Error>((self.text(f)?, f.clone()))).transpose()?)
            }
            _ => return Err(Error::new(&self.paths[ext.src], ext.at, format!("{name}: extends is a service name or a mapping, found {}", ext.kind()))),
        };
        let (base_idx, rel_dir) = match base_file {
            None => (file, None),
            Some((f, node)) => {
                let from = self.paths[file].parent().unwrap_or(Path::new("."));
                let path = normalize(&clean_join(from, Path::new(&f)));
                let idx = match self.paths.iter().position(|p| *p == path) {
                    Some(i) => i,
                    None => {
                        let text = std::fs::read_to_string(&path).map_err(|e| Error::new(&self.paths[node.src], node.at, format!("{name}: extends file {}: {}", path.display(), crate::io_reason(&e))))?;
                        self.add(&path, &text)?
                    }
                };
                // The other file's relative paths are relative to its own directory: made
                // absolute, they mean the same from any file they are merged into.
                let base_dir = self.paths[idx].parent().unwrap_or(Path::new("."));
                let base_dir = normalize(&std::path::absolute(base_dir).unwrap_or_else(|_| base_dir.to_path_buf()));
                (idx, Some(base_dir))
            }
        };
        if self.service(base_idx, &base_name).is_none() {
            let at = ext.get("service").unwrap_or(&ext);
            return Err(Error::new(&self.paths[at.src], at.at, format!("{name}: extends service {base_name:?}, which {} does not define", self.paths[base_idx].display())));
        }
        let mut base = self.extend(base_idx, &base_name, chain)?;
        chain.pop();
        if let Some(rel) = rel_dir.filter(|r| !r.as_os_str().is_empty()) {
            rebase_build(&mut base, &rel);
        }
        let Node { value: Value::Map(mut own), at, src } = def else { unreachable!("a service with extends is a mapping") };
        own.retain(|(k, _)| k != "extends");
        if let Value::Map(b) = &mut base.value {
            // What the service itself says about being extended does not pass down.
            b.retain(|(k, _)| k != "extends");
        }
        Ok(merge::merge_service(base, Node { value: Value::Map(own), at, src }, Keep::Over))
    }
}

/// An extended service from another file: its build context is relative to that file, so it
/// is rewritten against `rel`, that file's directory.
fn rebase_build(service: &mut Node, rel: &Path) {
    let Value::Map(entries) = &mut service.value else { return };
    let Some((_, build)) = entries.iter_mut().find(|(k, _)| k == "build") else { return };
    let rebased = |s: &str| -> Option<String> {
        let local = !(s.contains("://") || s.starts_with("git@") || s.contains(':') || Path::new(s).is_absolute());
        local.then(|| clean_join(rel, Path::new(s)).to_string_lossy().into_owned())
    };
    match &mut build.value {
        Value::Scalar(s) => {
            if let Some(r) = rebased(s) {
                *s = r;
            }
        }
        Value::Map(m) => match m.iter_mut().find(|(k, _)| k == "context") {
            Some((_, Node { value: Value::Scalar(s), .. })) => {
                if let Some(r) = rebased(s) {
                    *s = r;
                }
            }
            Some(_) => {}
            None => {
                let (at, src) = (build.at, build.src);
                m.push(("context".into(), Node { value: Value::Scalar(rel.to_string_lossy().into_owned()), at, src }));
            }
        },
        _ => {}
    }
}

fn strings(file: &Path, node: &Node, str_at: &dyn Fn(&Node) -> Result<String, Error>) -> Result<Vec<String>, Error> {
    match &node.value {
        Value::Seq(items) => items.iter().map(str_at).collect(),
        Value::Scalar(_) => Ok(vec![str_at(node)?]),
        Value::Null => Ok(Vec::new()),
        Value::Map(_) => Err(Error::new(file, node.at, "expected a list of strings, found a mapping")),
    }
}

/// `args` and `additional_contexts`: a mapping, or a list of `KEY=VALUE`. An arg given as a bare
/// `KEY` (or with a null value) takes the environment's value, and is left out when unset.
fn key_values(file: &Path, node: &Node, env: &BTreeMap<String, String>, str_at: &dyn Fn(&Node) -> Result<String, Error>, from_env: bool) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    match &node.value {
        Value::Map(m) => {
            for (k, v) in m {
                match &v.value {
                    Value::Null if from_env => {
                        if let Some(e) = env.get(k) {
                            out.insert(k.clone(), e.clone());
                        }
                    }
                    _ => {
                        out.insert(k.clone(), str_at(v)?);
                    }
                }
            }
        }
        Value::Seq(items) => {
            for item in items {
                let s = str_at(item)?;
                match s.split_once('=') {
                    Some((k, v)) => {
                        out.insert(k.to_string(), v.to_string());
                    }
                    None if from_env => {
                        if let Some(e) = env.get(&s) {
                            out.insert(s, e.clone());
                        }
                    }
                    None => return Err(Error::new(file, item.at, format!("expected NAME=VALUE, found {s:?}"))),
                }
            }
        }
        Value::Null => {}
        Value::Scalar(_) => return Err(Error::new(file, node.at, "expected a mapping or a list of NAME=VALUE")),
    }
    Ok(out)
}
