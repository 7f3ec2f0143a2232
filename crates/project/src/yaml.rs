//! YAML read into a small tree that keeps each node's line and column, with merge keys (`<<`)
//! applied as compose applies them.

use std::path::Path;

use saphyr::{LoadableYamlNode, MarkedYamlOwned, ScalarOwned, YamlDataOwned};

use crate::{Error, Pos};

#[derive(Debug, Clone)]
pub(crate) enum Value {
    Null,
    /// Every scalar but null, as its text (compose reads `8000`, `true` and `"8000"` alike).
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub value: Value,
    pub at: Pos,
    /// Which of the loaded files `at` is in (an index into the loader's file list): merged
    /// compose files and `extends` mix nodes from several files.
    pub src: usize,
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Scalar(_) => "a scalar",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Parses the first document; an empty file is an empty mapping. `src` tags every node.
pub(crate) fn parse(file: &Path, text: &str, src: usize) -> Result<Node, Error> {
    let docs = MarkedYamlOwned::load_from_str(text).map_err(|e| {
        let m = e.marker();
        Error::new(file, Pos { line: m.line(), column: m.col() + 1 }, format!("invalid YAML: {}", e.info()))
    })?;
    match docs.into_iter().next() {
        None => Ok(Node { value: Value::Map(Vec::new()), at: Pos { line: 1, column: 1 }, src }),
        Some(doc) => convert(file, doc, 0, src),
    }
}

fn convert(file: &Path, node: MarkedYamlOwned, depth: usize, src: usize) -> Result<Node, Error> {
    let at = Pos { line: node.span.start.line(), column: node.span.start.col() + 1 };
    if depth > 128 {
        return Err(Error::new(file, at, "YAML nested too deeply"));
    }
    let value = match node.data {
        YamlDataOwned::Value(s) => match s {
            ScalarOwned::Null => Value::Null,
            ScalarOwned::Boolean(b) => Value::Scalar(b.to_string()),
            ScalarOwned::Integer(i) => Value::Scalar(i.to_string()),
            ScalarOwned::FloatingPoint(f) => Value::Scalar(f.to_string()),
            ScalarOwned::String(s) => Value::Scalar(s),
        },
        YamlDataOwned::Representation(s, _, _) => Value::Scalar(s),
        YamlDataOwned::Tagged(_, inner) => return convert(file, *inner, depth + 1, src),
        YamlDataOwned::Sequence(items) => Value::Seq(items.into_iter().map(|n| convert(file, n, depth + 1, src)).collect::<Result<_, _>>()?),
        YamlDataOwned::Mapping(map) => {
            let mut entries: Vec<(String, Node)> = Vec::new();
            let mut merged: Vec<(String, Node)> = Vec::new();
            for (k, v) in map {
                let kat = Pos { line: k.span.start.line(), column: k.span.start.col() + 1 };
                let key = match convert(file, k, depth + 1, src)?.value {
                    Value::Scalar(s) => s,
                    Value::Null => "null".into(),
                    _ => return Err(Error::new(file, kat, "a mapping key must be a scalar")),
                };
                let v = convert(file, v, depth + 1, src)?;
                if key == "<<" {
                    // Merge keys: the mapping's own keys win, then earlier merged mappings.
                    let sources = match v.value {
                        Value::Seq(items) => items,
                        _ => vec![v],
                    };
                    for s in sources {
                        match s.value {
                            Value::Map(m) => merged.extend(m),
                            _ => return Err(Error::new(file, s.at, "a merge key (<<) takes a mapping or a list of mappings")),
                        }
                    }
                    continue;
                }
                // Node positions point at the value; the key is where a reader looks.
                let v = Node { at: kat, ..v };
                entries.push((key, v));
            }
            for (k, v) in merged {
                if !entries.iter().any(|(e, _)| *e == k) {
                    entries.push((k, v));
                }
            }
            Value::Map(entries)
        }
        YamlDataOwned::Alias(_) | YamlDataOwned::BadValue => return Err(Error::new(file, at, "unresolved alias or invalid scalar")),
    };
    Ok(Node { value, at, src })
}
