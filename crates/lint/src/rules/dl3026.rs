//! # DL3026: Use only an allowed registry in the FROM image
//!
//! Severity: error. Semantics: hadolint's DL3026.
//!
//! With `trustedRegistries` configured (or `--trusted-registry`): a FROM image, `COPY --from` image or `RUN --mount=from=` image from another registry. Patterns may start or end with `*`. Images without a registry count as `docker.io`.
//!
//! ## Why
//!
//! Supply-chain policy: images only from registries you control or trust.
//!
//! ## Bad
//!
//! ```dockerfile
//! # trustedRegistries: [my.registry.io]
//! FROM evil.example.com/app:1
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! FROM my.registry.io/app:1
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3026 { id: "DL3026", name: "trusted-registry", severity: Error, origin: Hadolint, summary: "Use only an allowed registry in the FROM image", source: include_str!("dl3026.rs") }
    fn check(ctx, out) {
        let allowed = &ctx.config.trusted_registries;
        if allowed.is_empty() { return; }
        let ok_registry = |r: &str| allowed.iter().any(|p| matches_registry(p, r));
        let ok_image = |reference: &str, aliases: &[&str]| {
            let img = ImageRef::parse(reference);
            if aliases.contains(&img.name.as_str()) { return true; }
            match &img.registry {
                Some(r) => ok_registry(r),
                None => img.name == "scratch" || ok_registry("docker.io") || ok_registry("hub.docker.com"),
            }
        };
        let mut aliases: Vec<&str> = Vec::new();
        for inst in ctx.instructions() {
            match inst.kind {
                Keyword::From => {
                    let reference = inst.args.first().map(String::as_str).unwrap_or("");
                    let ok = ok_image(reference, &aliases);
                    if inst.args.len() >= 3 && inst.args[1].eq_ignore_ascii_case("as") { aliases.push(&inst.args[2]); }
                    if !ok { out.push(ctx.summary(&META, inst)); }
                }
                Keyword::Copy => {
                    if let Some(src) = inst.flag("from").and_then(|f| f.value.as_deref()) {
                        if !ok_image(src, &aliases) { out.push(ctx.summary(&META, inst)); }
                    }
                }
                Keyword::Run => {
                    let bad = inst.flags.iter().filter(|f| f.name == "mount").filter_map(|f| f.value.as_deref()).any(|m| {
                        let opts: Vec<(&str, &str)> = m.split(',').filter_map(|kv| kv.split_once('=')).collect();
                        let ty = opts.iter().find(|(k, _)| *k == "type").map(|(_, v)| *v).unwrap_or("bind");
                        if ty != "cache" && ty != "bind" { return false; }
                        let from = opts.iter().find(|(k, _)| *k == "from").map(|(_, v)| *v).unwrap_or("scratch");
                        !ok_image(from, &aliases)
                    });
                    if bad { out.push(ctx.summary(&META, inst)); }
                }
                _ => {}
            }
        }
    }
}

fn matches_registry(pattern: &str, registry: &str) -> bool {
    if pattern == "*" {
        true
    } else if let Some(suffix) = pattern.strip_prefix('*') {
        registry.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        registry.starts_with(prefix)
    } else {
        registry == pattern
    }
}
