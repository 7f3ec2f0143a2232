//! # DL3042: pip install --no-cache-dir
//!
//! Severity: warning. Semantics: hadolint's DL3042.
//!
//! A `pip install` without `--no-cache-dir` (`pipx`/`pipenv` excepted), unless `PIP_NO_CACHE_DIR` is set to a true value by an ENV of the stage (or of the stage it is built `FROM`) or in the RUN's own text, or the RUN mounts a cache or tmpfs on `.cache/pip`.
//!
//! A cache mount (`RUN --mount=type=cache,target=/root/.cache/pip pip install ...`) satisfies the rule, as in hadolint: the cache is kept out of the image and reused by later builds.
//!
//! ## Why
//!
//! pip keeps every downloaded wheel in `~/.cache/pip`; in an image that cache is dead weight.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN pip install requests==2.32.3
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN pip install --no-cache-dir requests==2.32.3
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl3042 { id: "DL3042", name: "pip-no-cache-dir", severity: Warning, origin: Hadolint, summary: "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`", source: include_str!("dl3042.rs"), fix: Safe }
    fn check(ctx, out) {
        for stream in hs::streams(ctx.instructions()) {
            // hadolint's state: the current stage's key and which stage keys have PIP_NO_CACHE_DIR set.
            let mut started = false;
            let mut current: Option<String> = None;
            let mut no_cache: HashMap<Option<String>, bool> = HashMap::new();
            for (i, ins) in stream {
                match ins.kind {
                    Keyword::From => {
                        let image = base_name(ins.args.first().map(String::as_str).unwrap_or(""));
                        let key = from_alias(ins).unwrap_or_else(|| image.clone());
                        if started {
                            let parent = no_cache.get(&Some(image)).copied().unwrap_or(false);
                            no_cache.insert(Some(key.clone()), parent);
                        }
                        started = true;
                        current = Some(key);
                    }
                    Keyword::Env => {
                        if env_sets_no_cache(ins) {
                            if !started {
                                started = true;
                                current = None;
                            }
                            no_cache.insert(current.clone(), true);
                        }
                    }
                    Keyword::Run => {
                        let Some(r) = &ctx.runs()[i] else { continue };
                        let skip = (started && no_cache.get(&current) == Some(&true))
                            || text_sets_no_cache(&r.text)
                            || !r.any(forgot_no_cache_dir)
                            || hs::has_cache_mount_with(r.run, ".cache/pip");
                        if !skip {
                            let edits = fixes::insert_flag_after(ctx, r, forgot_no_cache_dir, "install", "--no-cache-dir");
                            out.push(ctx.summary(&META, &ctx.instructions()[i]).with_fix(fixes::fix(Applicability::Safe, "Add `--no-cache-dir`", edits)));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

const TRUTHY: &[&str] = &["1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"];

fn env_sets_no_cache(ins: &dockstage_syntax::Instruction) -> bool {
    ins.key_values().iter().any(|(k, v)| *k == "PIP_NO_CACHE_DIR" && TRUTHY.contains(&unquote(v).as_str()))
}

/// hadolint looks at the first `PIP_NO_CACHE_DIR=` in the RUN text only.
fn text_sets_no_cache(text: &str) -> bool {
    text.find("PIP_NO_CACHE_DIR=").is_some_and(|i| {
        let rest = &text[i + "PIP_NO_CACHE_DIR=".len()..];
        TRUTHY.iter().any(|t| rest.starts_with(t))
    })
}

fn forgot_no_cache_dir(c: &SimpleCommand) -> bool {
    let wrapper = |w: &str| c.name.contains(w) || (c.name.starts_with("python") && c.has_arg_sequence(&["-m", w]));
    hs::is_pip_install(c) && !hs::has_arg(c, "--no-cache-dir") && !wrapper("pipx") && !wrapper("pipenv")
}
