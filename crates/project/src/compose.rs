//! Compose files: `services.<name>.build`, as the Compose Specification's build section defines
//! it (a context string, or a mapping with context, dockerfile, dockerfile_inline, target, args,
//! additional_contexts, tags, platforms, x-bake).

use std::collections::BTreeMap;
use std::path::Path;

use crate::yaml::{self, Node, Value};
use crate::{clean_join, interpolate, local_context, BuildSpec, DockerfileSource, Error, Kind, Pos, Project};

pub(crate) fn resolve(file: &Path, dir: &Path, text: &str, env: &BTreeMap<String, String>) -> Result<Project, Error> {
    let root = yaml::parse(file, text)?;
    if !matches!(root.value, Value::Map(_)) {
        return Err(Error::new(file, root.at, format!("a compose file is a mapping, not {}", root.kind())));
    }
    let str_at = |n: &Node| -> Result<String, Error> {
        let s = n.as_str().ok_or_else(|| Error::new(file, n.at, format!("expected a string, found {}", n.kind())))?;
        interpolate(s, env).map_err(|e| Error::new(file, n.at, e))
    };
    let name = root.get("name").map(str_at).transpose()?;
    let mut project = Project { file: file.to_path_buf(), kind: Kind::Compose, name, builds: Vec::new(), image_only: Vec::new() };
    let Some(services) = root.get("services") else { return Ok(project) };
    let Value::Map(services) = &services.value else {
        return Err(Error::new(file, services.at, format!("services must be a mapping, found {}", services.kind())));
    };
    for (service, def) in services {
        let Some(build) = def.get("build") else {
            project.image_only.push(service.clone());
            continue;
        };
        let profiles = match def.get("profiles") {
            Some(p) => strings(file, p, &str_at)?,
            None => Vec::new(),
        };
        let mut spec = BuildSpec {
            name: service.clone(),
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
                    spec.dockerfile_at = d.at;
                }
                if let Some(t) = build.get("target") {
                    spec.target = Some(str_at(t)?);
                    spec.target_at = t.at;
                }
                if let Some(a) = build.get("args") {
                    spec.args = key_values(file, a, env, &str_at, true)?;
                }
                if let Some(a) = build.get("additional_contexts") {
                    spec.additional_contexts = key_values(file, a, env, &str_at, false)?;
                }
                if let Some(t) = build.get("tags") {
                    spec.tags = strings(file, t, &str_at)?;
                }
                if let Some(p) = build.get("platforms") {
                    spec.platforms = strings(file, p, &str_at)?;
                }
                if let Some(Node { value: Value::Map(m), .. }) = build.get("x-bake") {
                    for (k, v) in m {
                        let text = match &v.value {
                            Value::Scalar(_) => str_at(v)?,
                            Value::Seq(_) => strings(file, v, &str_at)?.join(","),
                            _ => continue,
                        };
                        spec.x_bake.insert(k.clone(), text);
                    }
                }
                if let Some(inline) = build.get("dockerfile_inline") {
                    if build.get("dockerfile").is_some() {
                        return Err(Error::new(file, inline.at, format!("{service}: dockerfile and dockerfile_inline are mutually exclusive")));
                    }
                    // Compose does not interpolate the inline Dockerfile's own `${...}`.
                    let text = inline.as_str().ok_or_else(|| Error::new(file, inline.at, "dockerfile_inline must be a string"))?;
                    spec.dockerfile = DockerfileSource::Inline(text.to_string());
                    spec.dockerfile_at = inline.at;
                }
            }
            _ => return Err(Error::new(file, build.at, format!("{service}: build must be a context path or a mapping, found {}", build.kind()))),
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
