//! Side by side with `dockerfile-language-server-nodejs` (npm 0.15.0, `docker-langserver`) on
//! the same corpus files and requests: the outline (one symbol per instruction, at the same
//! line) and go-to-definition of stage names in `--from=` must agree, and so must the folding of
//! instructions and comment blocks (we add one range per stage).


use std::path::PathBuf;

use serde_json::{json, Value};

mod lsp_client;
use lsp_client::{corpus_files, pos_params, td, Client};

/// `(name upper-cased, start line)` of each instruction symbol. The node server also lists the
/// parser directives (`# syntax=` as a `SYNTAX` symbol); ours lists instructions only, so
/// directives are left out of the comparison.
fn outline(v: &Value) -> Vec<(String, u64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap().to_ascii_uppercase(), s["location"]["range"]["start"]["line"].as_u64().unwrap()))
        .filter(|(name, _)| !matches!(name.as_str(), "SYNTAX" | "ESCAPE" | "CHECK"))
        .collect()
}

#[test]
fn outline_and_stage_definitions_agree_with_the_node_server() {
    let peer = which("docker-langserver").expect("docker-langserver not found: scripts/install-test-deps.sh installs it from npm");
    let mut ours = Client::start_with(env!("CARGO_BIN_EXE_dockstage"), &["lsp"], false);
    let mut theirs = Client::start_with(peer.to_str().unwrap(), &["--stdio"], false);
    let files = corpus_files(dockstage_lsp::is_dockerfile_name);
    assert!(files.len() > 200);
    let (mut compared, mut definitions, mut folded, mut only_ours) = (0, 0, 0, 0);
    for (n, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        // Heredocs: the node server's parser does not know them (see the README's table).
        if dockstage_syntax::parse(&text).is_err() {
            continue;
        }
        let uri = format!("file:///corpus/{n}/Dockerfile");
        ours.open(&uri, &text);
        theirs.open(&uri, &text);
        let a = ours.result("textDocument/documentSymbol", json!({"textDocument": td(&uri)}));
        let b = theirs.result("textDocument/documentSymbol", json!({"textDocument": td(&uri)}));
        assert_eq!(outline(&a), outline(&b), "{}", path.display());
        compared += 1;
        // Folding: every range the node server gives is one of ours (we add one per stage).
        let a = ours.result("textDocument/foldingRange", json!({"textDocument": td(&uri)}));
        let b = theirs.result("textDocument/foldingRange", json!({"textDocument": td(&uri)}));
        let ours_folds = folds(&a);
        for f in folds(&b) {
            assert!(ours_folds.contains(&f), "{}: the node server folds {f:?}, we do not: {ours_folds:?}", path.display());
        }
        folded += 1;
        for (line_no, line) in text.lines().enumerate() {
            let Some(i) = line.find("--from=") else { continue };
            let value: String = line[i + 7..].chars().take_while(|c| !c.is_whitespace()).collect();
            if value.is_empty() || value.chars().all(|c| c.is_ascii_digit()) || value.contains('$') {
                continue;
            }
            let p = pos_params(&uri, line_no as u32, (i + 8) as u32);
            let a = ours.result("textDocument/definition", p.clone());
            let b = theirs.result("textDocument/definition", p);
            let norm = |v: &Value| if v.is_array() { v.get(0).cloned().unwrap_or(Value::Null) } else { v.clone() };
            // The node server resolves `--from=` only as an instruction's first flag
            // (`COPY --link --from=build` gives it nothing); where it answers, we must agree.
            if norm(&b).is_null() && !norm(&a).is_null() && !line[..i].trim_end().ends_with(|c: char| c.is_ascii_uppercase()) {
                only_ours += 1;
                continue;
            }
            assert_eq!(norm(&a)["range"], norm(&b)["range"], "{}:{}", path.display(), line_no + 1);
            definitions += 1;
        }
        ours.notify("textDocument/didClose", json!({"textDocument": td(&uri)}));
        theirs.notify("textDocument/didClose", json!({"textDocument": td(&uri)}));
    }
    assert!(compared > 150, "compared {compared} files");
    assert!(definitions > 0);
    assert!(only_ours < definitions, "{only_ours} stage names only we resolve, {definitions} both do");
    assert_eq!(folded, compared);
    ours.stop();
    let _ = theirs.request("shutdown", Value::Null);
}

/// `(start line, end line, is a comment block)` of each folding range.
fn folds(v: &Value) -> Vec<(u64, u64, bool)> {
    v.as_array().unwrap().iter().map(|f| (f["startLine"].as_u64().unwrap(), f["endLine"].as_u64().unwrap(), f["kind"] == "comment")).collect()
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|p| p.is_file()))
}
