//! Compose's merge rules, for several compose files (`-f a.yml -f b.yml`) and for `extends`:
//! mappings merge key by key with the later value winning, sequences append, a build given as a
//! context string is the mapping `{context: ...}`, `args`, `additional_contexts` and `labels`
//! merge by name whether written as a mapping or as `NAME=VALUE` items, and `command`,
//! `entrypoint` are replaced rather than appended (they are shell commands, not lists).

use crate::yaml::{Node, Value};

/// Whose position a merged mapping keeps: the first definition (several files, where the base
/// file is the project's), or the overriding one (`extends`, where the extending service is
/// the one the user wrote).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    Base,
    Over,
}

/// Two compose files' roots: services merged service by service.
pub(crate) fn merge_root(base: Node, over: Node) -> Node {
    merge_map(base, over, Keep::Base, &|key, b, o, keep| if key == "services" { merge_map(b, o, keep, &|_, b, o, keep| merge_service(b, o, keep)) } else { merge_any(b, o, keep) })
}

/// One service onto another (the override's keys win).
pub(crate) fn merge_service(base: Node, over: Node, keep: Keep) -> Node {
    merge_map(base, over, keep, &|key, b, o, keep| match key {
        "build" => merge_build(b, o, keep),
        "command" | "entrypoint" => o,
        _ => merge_any(b, o, keep),
    })
}

fn merge_build(base: Node, over: Node, keep: Keep) -> Node {
    merge_map(context_mapping(base), context_mapping(over), keep, &|key, b, o, keep| match key {
        "args" | "additional_contexts" | "labels" => merge_map(named_values(b), named_values(o), keep, &|_, _, o, _| o),
        _ => merge_any(b, o, keep),
    })
}

/// `build: ./dir` is `build: {context: ./dir}`.
fn context_mapping(n: Node) -> Node {
    match n.value {
        Value::Scalar(_) => Node { value: Value::Map(vec![("context".into(), n.clone())]), ..n },
        _ => n,
    }
}

/// `[A=1, B]` is `{A: "1", B: null}`; other shapes are left for the generic rule.
fn named_values(n: Node) -> Node {
    let Value::Seq(items) = &n.value else { return n };
    let mut out: Vec<(String, Node)> = Vec::new();
    for item in items {
        let Some(s) = item.as_str() else { return n };
        let (k, v) = match s.split_once('=') {
            Some((k, v)) => (k.to_string(), Value::Scalar(v.to_string())),
            None => (s.to_string(), Value::Null),
        };
        let v = Node { value: v, ..item.clone() };
        match out.iter_mut().find(|(e, _)| *e == k) {
            Some(slot) => slot.1 = v,
            None => out.push((k, v)),
        }
    }
    Node { value: Value::Map(out), ..n }
}

fn merge_any(base: Node, over: Node, keep: Keep) -> Node {
    match (&base.value, &over.value) {
        (Value::Map(_), Value::Map(_)) => merge_map(base, over, keep, &|_, b, o, keep| merge_any(b, o, keep)),
        (Value::Seq(_), Value::Seq(_)) => {
            let (Value::Seq(mut items), Value::Seq(more)) = (base.value, over.value) else { unreachable!() };
            for m in more {
                // The same scalar twice (a tag, a platform) is one entry, as compose keeps it.
                let dup = m.as_str().is_some_and(|s| items.iter().any(|i| i.as_str() == Some(s)));
                if !dup {
                    items.push(m);
                }
            }
            let at = if keep == Keep::Over { (over.at, over.src) } else { (base.at, base.src) };
            Node { value: Value::Seq(items), at: at.0, src: at.1 }
        }
        // An empty override (`key:` with nothing after it) leaves the base as it was.
        (_, Value::Null) => base,
        _ => over,
    }
}

type Rule<'a> = dyn Fn(&str, Node, Node, Keep) -> Node + 'a;

/// Key by key: keys only one side has are kept as they are, shared keys go through `rule`.
/// A side that is not a mapping is replaced by the other (null keeps the base).
fn merge_map(base: Node, over: Node, keep: Keep, rule: &Rule<'_>) -> Node {
    match (base.value, over.value) {
        (Value::Map(mut entries), Value::Map(more)) => {
            for (k, o) in more {
                match entries.iter().position(|(e, _)| *e == k) {
                    Some(i) => {
                        let b = std::mem::replace(&mut entries[i].1, Node { value: Value::Null, at: o.at, src: o.src });
                        entries[i].1 = rule(&k, b, o, keep);
                    }
                    None => entries.push((k, o)),
                }
            }
            let (at, src) = if keep == Keep::Over { (over.at, over.src) } else { (base.at, base.src) };
            Node { value: Value::Map(entries), at, src }
        }
        (b, Value::Null) => Node { value: b, at: base.at, src: base.src },
        (_, o) => Node { value: o, at: over.at, src: over.src },
    }
}
