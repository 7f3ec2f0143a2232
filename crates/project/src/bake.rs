//! Bake files (HCL and JSON): variables (with environment overrides), user functions, targets
//! with `inherits` and `matrix`, and groups, resolved to one build per target.
//!
//! Which targets are reported follows `docker buildx bake` with no arguments: the `default`
//! group, else a `default` target; a file with neither reports every target that no other
//! target inherits from (the ones that describe images rather than shared settings).

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::path::Path;

use hcl::eval::{Context, Evaluate, FuncArgs, FuncDef, ParamType};
use hcl::{Expression, Value};
use hcl_edit::Span;

use crate::{clean_join, local_context, BuildSpec, DockerfileSource, Error, Kind, Pos, Project};

/// A block as read: its attributes unevaluated, with where it and some attributes are.
struct RawBlock {
    at: Pos,
    attrs: Vec<(String, Expression)>,
    attr_at: BTreeMap<String, Pos>,
}

#[derive(Default)]
struct RawFile {
    variables: Vec<(String, Pos, Option<Expression>)>,
    functions: Vec<(String, Pos, RawBlock)>,
    targets: Vec<(String, RawBlock)>,
    groups: Vec<(String, RawBlock)>,
}

pub(crate) fn resolve_hcl(file: &Path, dir: &Path, text: &str, env: &BTreeMap<String, String>) -> Result<Project, Error> {
    let edit = hcl_edit::parser::parse_body(text).map_err(|e| {
        let l = e.location();
        Error::new(file, Pos { line: l.line(), column: l.column() }, format!("invalid HCL: {}", e.message()))
    })?;
    let lines = LineIndex::new(text);
    let mut raw = RawFile::default();
    for structure in edit.into_iter() {
        let hcl_edit::structure::Structure::Block(block) = structure else { continue };
        let at = block.span().map(|s| lines.pos(s.start)).unwrap_or_default();
        let mut attr_at = BTreeMap::new();
        for s in block.body.iter() {
            if let hcl_edit::structure::Structure::Attribute(a) = s {
                if let Some(span) = a.span() {
                    attr_at.insert(a.key.as_str().to_string(), lines.pos(span.start));
                }
            }
        }
        let block: hcl::Block = block.into();
        let label = block.labels.first().map(|l| l.as_str().to_string());
        let attrs: Vec<(String, Expression)> = block.body.attributes().map(|a| (a.key.as_str().to_string(), a.expr.clone())).collect();
        let rb = RawBlock { at, attrs, attr_at };
        let need_label = |what: &str| label.clone().ok_or_else(|| Error::new(file, at, format!("a {what} block needs a name label")));
        match block.identifier.as_str() {
            "variable" => {
                let default = rb.attrs.iter().find(|(k, _)| k == "default").map(|(_, e)| e.clone());
                raw.variables.push((need_label("variable")?, at, default));
            }
            "function" => raw.functions.push((need_label("function")?, at, rb)),
            "target" => raw.targets.push((need_label("target")?, rb)),
            "group" => raw.groups.push((need_label("group")?, rb)),
            _ => {}
        }
    }
    resolve(file, dir, raw, env)
}

pub(crate) fn resolve_json(file: &Path, dir: &Path, text: &str, env: &BTreeMap<String, String>) -> Result<Project, Error> {
    let root: serde_json::Value = serde_json::from_str(text).map_err(|e| Error::new(file, Pos { line: e.line(), column: e.column() }, format!("invalid JSON: {e}")))?;
    let serde_json::Value::Object(root) = root else {
        return Err(Error::new(file, Pos { line: 1, column: 1 }, "a bake file is a JSON object"));
    };
    let lines = LineIndex::new(text);
    // JSON has no positions after parsing; the first `"name":` is where a reader looks.
    let find = |name: &str| {
        let quoted = format!("\"{name}\"");
        text.match_indices(&quoted)
            .find(|(i, _)| text[i + quoted.len()..].trim_start().starts_with(':'))
            .map(|(i, _)| lines.pos(i))
            .unwrap_or_default()
    };
    let mut raw = RawFile::default();
    let blocks = |kind: &str| -> Result<Vec<(String, RawBlock)>, Error> {
        match root.get(kind) {
            None => Ok(Vec::new()),
            Some(serde_json::Value::Object(m)) => m
                .iter()
                .map(|(name, body)| {
                    let serde_json::Value::Object(body) = body else {
                        return Err(Error::new(file, find(name), format!("{kind} {name:?} must be an object")));
                    };
                    let attrs = body.iter().map(|(k, v)| (k.clone(), json_expr(v))).collect();
                    Ok((name.clone(), RawBlock { at: find(name), attrs, attr_at: BTreeMap::new() }))
                })
                .collect(),
            Some(_) => Err(Error::new(file, find(kind), format!("{kind} must be an object of named {kind}s"))),
        }
    };
    for (name, b) in blocks("variable")? {
        let default = b.attrs.into_iter().find(|(k, _)| k == "default").map(|(_, e)| e);
        raw.variables.push((name, b.at, default));
    }
    raw.targets = blocks("target")?;
    raw.groups = blocks("group")?;
    resolve(file, dir, raw, env)
}

/// JSON values as HCL expressions; strings stay templates, as bake interpolates `${}` in JSON.
fn json_expr(v: &serde_json::Value) -> Expression {
    match v {
        serde_json::Value::String(s) => Expression::TemplateExpr(Box::new(hcl::TemplateExpr::QuotedString(s.replace('\\', "\\\\").replace('"', "\\\"")))),
        serde_json::Value::Array(a) => Expression::Array(a.iter().map(json_expr).collect()),
        serde_json::Value::Object(o) => Expression::Object(o.iter().map(|(k, v)| (hcl::ObjectKey::Expression(Expression::String(k.clone())), json_expr(v))).collect()),
        serde_json::Value::Null => Expression::Null,
        serde_json::Value::Bool(b) => Expression::Bool(*b),
        serde_json::Value::Number(n) => serde_json::from_value::<Value>(serde_json::Value::Number(n.clone())).map(Expression::from).unwrap_or(Expression::Null),
    }
}

/// A target's attributes, evaluated.
type Attrs = hcl::Map<String, Value>;

fn resolve(file: &Path, dir: &Path, raw: RawFile, env: &BTreeMap<String, String>) -> Result<Project, Error> {
    let err = |at: Pos, m: String| Error::new(file, at, m);
    // User functions live in thread-local slots, because hcl-rs takes plain fn pointers.
    if raw.functions.len() > SLOTS.len() {
        return Err(err(raw.functions[SLOTS.len()].1, format!("more than {} user functions are not supported", SLOTS.len())));
    }
    let funcs: Vec<UserFunc> = raw
        .functions
        .iter()
        .map(|(name, at, b)| {
            let get = |k: &str| b.attrs.iter().find(|(n, _)| n == k).map(|(_, e)| e.clone());
            let params = match get("params") {
                Some(Expression::Array(items)) => items.iter().map(|e| match e {
                    Expression::Variable(v) => Ok(v.as_str().to_string()),
                    _ => Err(err(*at, format!("function {name}: params must be a list of names"))),
                }).collect::<Result<Vec<_>, _>>()?,
                None => Vec::new(),
                Some(_) => return Err(err(*at, format!("function {name}: params must be a list of names"))),
            };
            let variadic = match get("variadic_params") {
                Some(Expression::Variable(v)) => Some(v.as_str().to_string()),
                _ => None,
            };
            let result = get("result").ok_or_else(|| err(*at, format!("function {name} has no result")))?;
            Ok(UserFunc { name: name.clone(), params, variadic, result })
        })
        .collect::<Result<_, Error>>()?;
    // Variables: the environment overrides a default (converted to the default's type); a
    // default may use variables declared before or after it.
    let mut vars: Vec<(String, Value)> = Vec::new();
    let mut pending: Vec<&(String, Pos, Option<Expression>)> = raw.variables.iter().collect();
    for round in 0..=raw.variables.len() {
        let mut next = Vec::new();
        for v in pending {
            let (name, at, default) = v;
            let evaluated = match default {
                Some(e) => with_scope(&funcs, &vars, |ctx| e.evaluate(ctx).map_err(|e| e.to_string())),
                None => Ok(Value::String(String::new())),
            };
            match (env.get(name), evaluated) {
                (Some(s), Ok(d)) => vars.push((name.clone(), typed_like(s, &d))),
                (Some(s), Err(_)) => vars.push((name.clone(), Value::String(s.clone()))),
                (None, Ok(d)) => vars.push((name.clone(), d)),
                (None, Err(e)) if round == raw.variables.len() => return Err(err(*at, format!("variable {name}: {e}"))),
                (None, Err(_)) => next.push(v),
            }
        }
        pending = next;
        if pending.is_empty() {
            break;
        }
    }

    let targets: BTreeMap<&str, &RawBlock> = {
        let mut m = BTreeMap::new();
        for (name, b) in &raw.targets {
            if m.insert(name.as_str(), b).is_some() {
                return Err(err(b.at, format!("target {name:?} is defined twice")));
            }
        }
        m
    };
    let mut resolved: Vec<BuildSpec> = Vec::new();
    let mut inherited: Vec<String> = Vec::new();
    let mut all: BTreeMap<String, Vec<BuildSpec>> = BTreeMap::new();
    for (name, block) in &raw.targets {
        let mut stack = Vec::new();
        let specs = expand_target(file, dir, name, block, &targets, &funcs, &vars, &mut stack, &mut inherited)?;
        all.insert(name.clone(), specs);
    }
    // Which targets bake builds with no arguments.
    let groups: BTreeMap<&str, &RawBlock> = raw.groups.iter().map(|(n, b)| (n.as_str(), b)).collect();
    let chosen: Vec<String> = if let Some(g) = groups.get("default") {
        let mut names = Vec::new();
        group_targets(file, "default", g, &groups, &funcs, &vars, &mut Vec::new(), &mut names)?;
        for (n, at) in &names {
            if !all.contains_key(n) {
                return Err(err(*at, format!("group default: unknown target {n:?}")));
            }
        }
        names.into_iter().map(|(n, _)| n).collect()
    } else if all.contains_key("default") {
        vec!["default".into()]
    } else {
        raw.targets.iter().map(|(n, _)| n.clone()).filter(|n| !inherited.contains(n)).collect()
    };
    let mut seen = std::collections::BTreeSet::new();
    for n in chosen {
        if seen.insert(n.clone()) {
            resolved.extend(all.remove(&n).unwrap_or_default());
        }
    }
    Ok(Project { file: file.to_path_buf(), files: vec![file.to_path_buf()], kind: Kind::Bake, name: None, builds: resolved, image_only: Vec::new() })
}

#[allow(clippy::too_many_arguments)]
fn group_targets(file: &Path, name: &str, g: &RawBlock, groups: &BTreeMap<&str, &RawBlock>, funcs: &[UserFunc], vars: &[(String, Value)], stack: &mut Vec<String>, out: &mut Vec<(String, Pos)>) -> Result<(), Error> {
    if stack.iter().any(|s| s == name) {
        return Err(Error::new(file, g.at, format!("cycle in bake groups: {} -> {name}", stack.join(" -> "))));
    }
    stack.push(name.to_string());
    let at = g.attr_at.get("targets").copied().unwrap_or(g.at);
    if let Some((_, e)) = g.attrs.iter().find(|(k, _)| k == "targets") {
        let v = with_scope(funcs, vars, |ctx| e.evaluate(ctx).map_err(|e| e.to_string())).map_err(|m| Error::new(file, at, format!("group {name}: {m}")))?;
        for t in string_list(&v).map_err(|m| Error::new(file, at, format!("group {name}: targets {m}")))? {
            match groups.get(t.as_str()) {
                Some(sub) if t != name || stack.len() > 1 => group_targets(file, &t, sub, groups, funcs, vars, stack, out)?,
                _ => out.push((t, at)),
            }
        }
    }
    stack.pop();
    Ok(())
}

/// One target's builds: one, or one per matrix combination.
#[allow(clippy::too_many_arguments)]
fn expand_target(file: &Path, dir: &Path, name: &str, block: &RawBlock, targets: &BTreeMap<&str, &RawBlock>, funcs: &[UserFunc], vars: &[(String, Value)], stack: &mut Vec<String>, inherited: &mut Vec<String>) -> Result<Vec<BuildSpec>, Error> {
    let matrix_at = block.attr_at.get("matrix").copied().unwrap_or(block.at);
    let combos: Vec<Vec<(String, Value)>> = match block.attrs.iter().find(|(k, _)| k == "matrix") {
        None => vec![Vec::new()],
        Some((_, e)) => {
            let v = with_scope(funcs, vars, |ctx| e.evaluate(ctx).map_err(|e| e.to_string())).map_err(|m| Error::new(file, matrix_at, format!("target {name}: matrix: {m}")))?;
            let Value::Object(axes) = v else {
                return Err(Error::new(file, matrix_at, format!("target {name}: matrix must be a map of lists")));
            };
            let mut combos: Vec<Vec<(String, Value)>> = vec![Vec::new()];
            for (axis, values) in axes {
                let Value::Array(values) = values else {
                    return Err(Error::new(file, matrix_at, format!("target {name}: matrix {axis} must be a list")));
                };
                combos = combos
                    .into_iter()
                    .flat_map(|c| {
                        let axis = axis.clone();
                        values.iter().map(move |v| {
                            let mut c = c.clone();
                            c.push((axis.clone(), v.clone()));
                            c
                        })
                    })
                    .collect();
            }
            combos
        }
    };
    let mut out = Vec::new();
    for combo in combos {
        let mut scope: Vec<(String, Value)> = vars.to_vec();
        scope.extend(combo.iter().cloned());
        stack.clear();
        let (attrs, chain) = target_attrs(file, name, block, targets, funcs, &scope, stack)?;
        for parent in chain.iter().skip(1) {
            if !inherited.contains(parent) {
                inherited.push(parent.clone());
            }
        }
        let build_name = match attrs.get("name") {
            Some(Value::String(n)) => n.clone(),
            _ if combo.is_empty() => name.to_string(),
            _ => {
                let parts: Vec<String> = combo.iter().map(|(_, v)| value_text(v).unwrap_or_default()).collect();
                let raw = format!("{name}-{}", parts.join("-"));
                raw.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
            }
        };
        out.push(spec_of(file, dir, build_name, block, &attrs, chain)?);
    }
    Ok(out)
}

/// A target's attributes merged over those it inherits, and the inheritance chain (itself first).
fn target_attrs(file: &Path, name: &str, block: &RawBlock, targets: &BTreeMap<&str, &RawBlock>, funcs: &[UserFunc], scope: &[(String, Value)], stack: &mut Vec<String>) -> Result<(Attrs, Vec<String>), Error> {
    if let Some(i) = stack.iter().position(|s| s == name) {
        let mut cycle: Vec<&str> = stack[i..].iter().map(String::as_str).collect();
        cycle.push(name);
        return Err(Error::new(file, block.at, format!("cycle in bake inheritance: {}", cycle.join(" -> "))));
    }
    if stack.len() > 64 {
        return Err(Error::new(file, block.at, "bake inheritance nested too deeply"));
    }
    stack.push(name.to_string());
    let mut own = Attrs::new();
    for (k, e) in &block.attrs {
        if k == "matrix" {
            continue;
        }
        let at = block.attr_at.get(k).copied().unwrap_or(block.at);
        let v = with_scope(funcs, scope, |ctx| e.evaluate(ctx).map_err(|e| e.to_string())).map_err(|m| Error::new(file, at, format!("target {name}: {k}: {m}")))?;
        own.insert(k.clone(), v);
    }
    let mut merged = Attrs::new();
    let mut chain = vec![name.to_string()];
    if let Some(parents) = own.get("inherits") {
        let at = block.attr_at.get("inherits").copied().unwrap_or(block.at);
        for p in string_list(parents).map_err(|m| Error::new(file, at, format!("target {name}: inherits {m}")))? {
            let parent = targets.get(p.as_str()).ok_or_else(|| Error::new(file, at, format!("target {name} inherits unknown target {p:?}")))?;
            let (pattrs, pchain) = target_attrs(file, &p, parent, targets, funcs, scope, stack)?;
            merge(&mut merged, pattrs);
            chain.extend(pchain);
        }
    }
    merge(&mut merged, own);
    stack.pop();
    Ok((merged, chain))
}

/// Later wins; maps (args, contexts, labels) merge key by key.
fn merge(into: &mut Attrs, from: Attrs) {
    for (k, v) in from {
        if k == "name" || k == "inherits" {
            into.insert(k, v);
            continue;
        }
        match (into.get_mut(&k), v) {
            (Some(Value::Object(a)), Value::Object(b)) => {
                for (bk, bv) in b {
                    a.insert(bk, bv);
                }
            }
            (_, v) => {
                into.insert(k, v);
            }
        }
    }
}

fn spec_of(file: &Path, dir: &Path, name: String, block: &RawBlock, attrs: &Attrs, chain: Vec<String>) -> Result<BuildSpec, Error> {
    let text = |k: &str| -> Result<Option<String>, Error> {
        match attrs.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => value_text(v).map(Some).ok_or_else(|| Error::new(file, block.attr_at.get(k).copied().unwrap_or(block.at), format!("target {name}: {k} must be a string"))),
        }
    };
    let map = |k: &str| -> BTreeMap<String, String> {
        match attrs.get(k) {
            Some(Value::Object(m)) => m.iter().filter_map(|(k, v)| value_text(v).map(|t| (k.clone(), t))).collect(),
            _ => BTreeMap::new(),
        }
    };
    let list = |k: &str| -> Vec<String> { attrs.get(k).and_then(|v| string_list(v).ok()).unwrap_or_default() };
    let context_spec = text("context")?.unwrap_or_else(|| ".".into());
    let context = local_context(dir, &context_spec);
    let (dockerfile, dockerfile_at) = match text("dockerfile-inline")? {
        Some(inline) => (DockerfileSource::Inline(inline), block.attr_at.get("dockerfile-inline").copied().unwrap_or(block.at)),
        None => {
            let f = text("dockerfile")?.unwrap_or_else(|| "Dockerfile".into());
            let f = f.strip_prefix("cwd://").map(|f| clean_join(dir, Path::new(f))).unwrap_or_else(|| match &context {
                Some(c) => clean_join(c, Path::new(&f)),
                None => f.into(),
            });
            (DockerfileSource::File(f), block.attr_at.get("dockerfile").copied().unwrap_or_default())
        }
    };
    let target = text("target")?;
    Ok(BuildSpec {
        name,
        file: file.to_path_buf(),
        at: block.at,
        context,
        context_spec,
        dockerfile,
        dockerfile_at,
        target,
        target_at: block.attr_at.get("target").copied().unwrap_or_default(),
        args: map("args"),
        additional_contexts: map("contexts"),
        tags: list("tags"),
        platforms: list("platforms"),
        profiles: Vec::new(),
        inherits: chain.into_iter().skip(1).collect(),
        x_bake: BTreeMap::new(),
    })
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string_list(v: &Value) -> Result<Vec<String>, String> {
    match v {
        Value::Array(items) => items.iter().map(|i| value_text(i).ok_or_else(|| "must be a list of strings".to_string())).collect(),
        Value::String(s) => Ok(vec![s.clone()]),
        _ => Err("must be a list of strings".into()),
    }
}

/// An environment override converted to the type of the variable's default, as bake does.
fn typed_like(s: &str, default: &Value) -> Value {
    match default {
        Value::Bool(_) => s.parse::<bool>().map(Value::Bool).unwrap_or_else(|_| Value::String(s.into())),
        Value::Number(_) => s.parse::<i64>().map(Value::from).or_else(|_| s.parse::<f64>().map(Value::from)).unwrap_or_else(|_| Value::String(s.into())),
        _ => Value::String(s.into()),
    }
}

/// Byte offsets to 1-based lines and columns (columns in characters).
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    fn pos(&self, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self.text.get(start..offset).map(|s| s.chars().count()).unwrap_or(offset - start) + 1;
        Pos { line, column }
    }
}

// ---- Functions -------------------------------------------------------------------------------

#[derive(Clone)]
struct UserFunc {
    name: String,
    params: Vec<String>,
    variadic: Option<String>,
    result: Expression,
}

/// The user's functions and the variables they see.
type Scope = (Vec<UserFunc>, Vec<(String, Value)>);

thread_local! {
    static USER: RefCell<Scope> = const { RefCell::new((Vec::new(), Vec::new())) };
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Runs `f` with a context holding the variables, bake's built-in functions we support, and the
/// user's functions.
fn with_scope<T>(funcs: &[UserFunc], vars: &[(String, Value)], f: impl FnOnce(&Context) -> T) -> T {
    USER.with(|u| *u.borrow_mut() = (funcs.to_vec(), vars.to_vec()));
    let ctx = context(funcs, vars);
    f(&ctx)
}

fn context(funcs: &[UserFunc], vars: &[(String, Value)]) -> Context<'static> {
    let mut ctx = Context::new();
    for (k, v) in vars {
        ctx.declare_var(k.as_str(), v.clone());
    }
    let s = || ParamType::String;
    ctx.declare_func("upper", FuncDef::builder().param(s()).build(|a| Ok(Value::String(str_arg(&a, 0).to_uppercase()))));
    ctx.declare_func("lower", FuncDef::builder().param(s()).build(|a| Ok(Value::String(str_arg(&a, 0).to_lowercase()))));
    ctx.declare_func("trimprefix", FuncDef::builder().params([s(), s()]).build(|a| {
        let (x, p) = (str_arg(&a, 0), str_arg(&a, 1));
        Ok(Value::String(x.strip_prefix(p.as_str()).unwrap_or(&x).to_string()))
    }));
    ctx.declare_func("trimsuffix", FuncDef::builder().params([s(), s()]).build(|a| {
        let (x, p) = (str_arg(&a, 0), str_arg(&a, 1));
        Ok(Value::String(x.strip_suffix(p.as_str()).unwrap_or(&x).to_string()))
    }));
    ctx.declare_func("replace", FuncDef::builder().params([s(), s(), s()]).build(|a| Ok(Value::String(str_arg(&a, 0).replace(&str_arg(&a, 1), &str_arg(&a, 2))))));
    ctx.declare_func("join", FuncDef::builder().param(s()).param(ParamType::Array(Box::new(ParamType::Any))).build(|a| {
        let items = match &a[1] {
            Value::Array(v) => v.iter().filter_map(value_text).collect::<Vec<_>>(),
            _ => Vec::new(),
        };
        Ok(Value::String(items.join(&str_arg(&a, 0))))
    }));
    ctx.declare_func("split", FuncDef::builder().params([s(), s()]).build(|a| Ok(Value::Array(str_arg(&a, 1).split(str_arg(&a, 0).as_str()).map(|p| Value::String(p.into())).collect()))));
    ctx.declare_func("equal", FuncDef::builder().params([ParamType::Any, ParamType::Any]).build(|a| Ok(Value::Bool(a[0] == a[1]))));
    ctx.declare_func("notequal", FuncDef::builder().params([ParamType::Any, ParamType::Any]).build(|a| Ok(Value::Bool(a[0] != a[1]))));
    for (i, f) in funcs.iter().enumerate() {
        let mut b = FuncDef::builder();
        for _ in &f.params {
            b = b.param(ParamType::Any);
        }
        if f.variadic.is_some() {
            b = b.variadic_param(ParamType::Any);
        }
        ctx.declare_func(f.name.as_str(), b.build(SLOTS[i]));
    }
    ctx
}

fn str_arg(a: &FuncArgs, i: usize) -> String {
    a.get(i).and_then(value_text).unwrap_or_default()
}

fn call_user(slot: usize, args: FuncArgs) -> Result<Value, String> {
    let (funcs, vars) = USER.with(|u| u.borrow().clone());
    let f = funcs.get(slot).ok_or("unknown function")?.clone();
    if DEPTH.get() > 32 {
        return Err(format!("function {} calls itself too deeply", f.name));
    }
    DEPTH.set(DEPTH.get() + 1);
    let mut scope = vars.clone();
    let args = args.into_values();
    for (p, a) in f.params.iter().zip(&args) {
        scope.push((p.clone(), a.clone()));
    }
    if let Some(v) = &f.variadic {
        scope.push((v.clone(), Value::Array(args.iter().skip(f.params.len()).cloned().collect())));
    }
    let ctx = context(&funcs, &scope);
    let result = f.result.evaluate(&ctx).map_err(|e| format!("in function {}: {e}", f.name));
    DEPTH.set(DEPTH.get() - 1);
    result
}

macro_rules! slots {
    ($($i:literal $f:ident),*) => {
        $(fn $f(args: FuncArgs) -> Result<Value, String> { call_user($i, args) })*
        const SLOTS: &[hcl::eval::Func] = &[$($f),*];
    };
}
slots!(0 user0, 1 user1, 2 user2, 3 user3, 4 user4, 5 user5, 6 user6, 7 user7, 8 user8, 9 user9, 10 user10, 11 user11, 12 user12, 13 user13, 14 user14, 15 user15);
