//! `dockstage lsp` as a child process, spoken to in JSON-RPC over stdio as an editor does:
//! initialize, didOpen, didChange, every request the server offers, shutdown, exit. On
//! hand-written files with known answers, on the corpus, and under thousands of random edits.


use serde_json::{json, Value};

mod lsp_client;
use lsp_client::{at, corpus_files, pos_params, td, Client};
use dockstage_test_support::Rng;

const SAMPLE: &str = "\
# syntax=docker/dockerfile:1
ARG VERSION=3.12
FROM python:${VERSION}-slim AS build
ARG VERSION
ENV APP=/app
RUN --mount=type=cache,target=/root/.cache \\
    pip install --prefix=/install flask
FROM ubuntu AS final
COPY --from=build /install /usr/local
RUN apt-get update && apt-get install -y curl
CMD python -m $APP
";

#[test]
fn a_session_answers_every_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, SAMPLE).unwrap();
    std::fs::write(dir.path().join(".hadolint.yaml"), "ignored: [DL3059]\n").unwrap();
    let uri = format!("file://{}", path.display());
    let mut c = Client::start();
    c.open(&uri, SAMPLE);
    let diags = c.diagnostics(&uri);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    // Untagged ubuntu, apt-get without pinning, no --no-install-recommends, shell-form CMD.
    for want in ["DL3006", "DL3008", "DL3015", "JSONArgsRecommended"] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
    assert!(!codes.contains(&"DL3059"), "the folder's .hadolint.yaml is honoured");
    let dl3006 = diags.iter().find(|d| d["code"] == "DL3006").unwrap();
    assert_eq!(dl3006["range"]["start"]["line"], 7);
    let href = dl3006["codeDescription"]["href"].as_str().unwrap();
    let doc = std::fs::read_to_string(href.strip_prefix("file://").unwrap()).unwrap();
    assert!(doc.starts_with("# DL3006"), "{doc}");

    // Code actions on the DL3006 line: the ignore pragma.
    let actions = c.result("textDocument/codeAction", json!({"textDocument": td(&uri), "range": dl3006["range"], "context": {"diagnostics": [dl3006]}}));
    let ignore = actions.as_array().unwrap().iter().find(|a| a["title"] == "Ignore DL3006 on this line").expect("ignore action");
    let edit = &ignore["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "# hadolint ignore=DL3006\n");
    assert_eq!(edit["range"]["start"], at(7, 0));

    // The lint fix for DL3015 on the apt-get line: unsafe (it changes what is installed), so a
    // quick fix marked as such and not preferred, whose edit adds the flag.
    let dl3015 = diags.iter().find(|d| d["code"] == "DL3015").unwrap().clone();
    let actions = c.result("textDocument/codeAction", json!({"textDocument": td(&uri), "range": dl3015["range"], "context": {"diagnostics": [dl3015]}}));
    let fix = actions.as_array().unwrap().iter().find(|a| a["kind"] == "quickfix" && a["isPreferred"] == false && a["title"].as_str().unwrap().starts_with("DL3015") && a["title"].as_str().unwrap().contains("unsafe")).expect("DL3015 fix");
    let edits = fix["edit"]["changes"][&uri].as_array().unwrap();
    assert!(edits.iter().any(|e| e["newText"].as_str().unwrap().contains("--no-install-recommends")), "{fix}");

    // Definition of the stage name in --from, and of $VERSION in FROM (the meta-ARG).
    let def = c.result("textDocument/definition", pos_params(&uri, 8, 14));
    assert_eq!(def["range"]["start"], at(2, 31));
    let def = c.result("textDocument/definition", pos_params(&uri, 2, 17));
    assert_eq!(def["range"]["start"], at(1, 4));
    let refs = c.result("textDocument/references", json!({"textDocument": td(&uri), "position": at(2, 31), "context": {"includeDeclaration": true}}));
    assert_eq!(refs.as_array().unwrap().len(), 2);
    let hl = c.result("textDocument/documentHighlight", pos_params(&uri, 1, 5));
    // The meta-ARG, its use in FROM and the stage's `ARG VERSION`.
    assert_eq!(hl.as_array().unwrap().len(), 3);
    let rename = c.result("textDocument/rename", json!({"textDocument": td(&uri), "position": at(8, 14), "newName": "builder"}));
    let edits = rename["changes"][&uri].as_array().unwrap();
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|e| e["newText"] == "builder"));
    let bad = c.request("textDocument/rename", json!({"textDocument": td(&uri), "position": at(8, 14), "newName": "9 lives"}));
    assert_eq!(bad["error"]["code"], -32602);

    // Hover: instruction docs, the value of an ENV variable, a stage's copies, rule docs.
    let h = c.result("textDocument/hover", pos_params(&uri, 5, 1));
    assert!(h["contents"]["value"].as_str().unwrap().contains("--mount"));
    let h = c.result("textDocument/hover", pos_params(&uri, 4, 5));
    assert!(h["contents"]["value"].as_str().unwrap().contains("value here: `/app`"), "{h}");
    // `$APP` in the final stage: ENV of another stage is not in scope (BuildKit's scoping).
    let h = c.result("textDocument/hover", pos_params(&uri, 10, 16));
    assert!(!h["contents"]["value"].as_str().unwrap_or("").contains("value here"), "{h}");
    let h = c.result("textDocument/hover", pos_params(&uri, 2, 35));
    assert!(h["contents"]["value"].as_str().unwrap().contains("into `final`"), "{h}");
    let h = c.result("textDocument/hover", pos_params(&uri, 7, 6));
    assert!(h["contents"]["value"].as_str().unwrap().contains("DL3006"), "{h}");

    // Completion: flags, stage names, variables, keywords, directives.
    let labels = |v: &Value| v.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": at(11, 0), "end": at(11, 0)}, "text": "COPY --\n"}]}));
    assert!(labels(&c.result("textDocument/completion", pos_params(&uri, 11, 7))).contains(&"--from".to_string()));
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"range": {"start": at(11, 7), "end": at(11, 7)}, "text": "from="}]}));
    assert_eq!(labels(&c.result("textDocument/completion", pos_params(&uri, 11, 12))), ["build"]);
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"range": {"start": at(11, 0), "end": at(12, 0)}, "text": "RUN echo $A\n"}]}));
    assert_eq!(labels(&c.result("textDocument/completion", pos_params(&uri, 11, 11))), Vec::<String>::new(), "the final stage declares nothing");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 41}, "contentChanges": [{"range": {"start": at(5, 0), "end": at(5, 0)}, "text": "RUN echo $A\n"}]}));
    assert_eq!(labels(&c.result("textDocument/completion", pos_params(&uri, 5, 11))), ["APP", "VERSION"]);
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 42}, "contentChanges": [{"range": {"start": at(5, 0), "end": at(6, 0)}, "text": ""}]}));
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"range": {"start": at(11, 0), "end": at(12, 0)}, "text": "HE\n"}]}));
    assert!(labels(&c.result("textDocument/completion", pos_params(&uri, 11, 2))).contains(&"HEALTHCHECK".to_string()));
    assert!(labels(&c.result("textDocument/completion", pos_params(&uri, 0, 2))).contains(&"check=".to_string()));
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 6}, "contentChanges": [{"range": {"start": at(11, 0), "end": at(12, 0)}, "text": ""}]}));
    let d = c.diagnostics(&uri);
    assert!(!d.is_empty());

    // Outline, folding, links, formatting, semantic tokens.
    let syms = c.result("textDocument/documentSymbol", json!({"textDocument": td(&uri)}));
    let names: Vec<&str> = syms.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["ARG", "build", "final"]);
    assert_eq!(syms[1]["children"].as_array().unwrap().len(), 4);
    let folds = c.result("textDocument/foldingRange", json!({"textDocument": td(&uri)}));
    let spans: Vec<(u64, u64)> = folds.as_array().unwrap().iter().map(|f| (f["startLine"].as_u64().unwrap(), f["endLine"].as_u64().unwrap())).collect();
    assert!(spans.contains(&(2, 6)) && spans.contains(&(5, 6)) && spans.contains(&(7, 10)), "{spans:?}");
    let links = c.result("textDocument/documentLink", json!({"textDocument": td(&uri)}));
    // The --from source is not a local file; the base images link to their Docker Hub pages.
    let targets: Vec<&str> = links.as_array().unwrap().iter().map(|l| l["target"].as_str().unwrap()).collect();
    assert!(targets.contains(&"https://hub.docker.com/_/ubuntu"), "{links}");
    assert!(targets.iter().all(|t| t.starts_with("https://hub.docker.com/")), "{links}");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 7}, "contentChanges": [{"range": {"start": at(9, 0), "end": at(9, 3)}, "text": "run"}]}));
    let fmt = c.result("textDocument/formatting", json!({"textDocument": td(&uri), "options": {"tabSize": 4, "insertSpaces": true}}));
    assert_eq!(fmt, json!([{"range": {"start": at(9, 0), "end": at(9, 3)}, "newText": "RUN"}]));
    let toks = c.result("textDocument/semanticTokens/full", json!({"textDocument": td(&uri)}));
    let data = toks["data"].as_array().unwrap();
    assert_eq!(data.len() % 5, 0);
    // The first token is the directive comment on line 0, the second the ARG keyword.
    assert_eq!(&data[..5], &[json!(0), json!(0), json!(28), json!(4), json!(0)]);
    assert_eq!(&data[5..10], &[json!(1), json!(0), json!(3), json!(0), json!(0)]);

    // A request for a document that is not open is an error, not a crash.
    c.notify("textDocument/didClose", json!({"textDocument": td(&uri)}));
    let r = c.request("textDocument/hover", pos_params(&uri, 0, 0));
    assert_eq!(r["error"]["code"], -32602);
    c.stop();
}

const SINGLE_STAGE: &str = "\
FROM python:3.11
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --chown=1000:1000 app.py ./
CMD [\"python\", \"app.py\"]
";

#[test]
fn signature_help_links_and_the_split_action() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("Dockerfile");
    std::fs::write(&path, SINGLE_STAGE).unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "flask\n").unwrap();
    let uri = format!("file://{}", path.display());
    let mut c = Client::start();
    c.open(&uri, SINGLE_STAGE);
    let _ = c.diagnostics(&uri);

    // On `--chown=` of COPY: the COPY form, its --chown parameter active.
    let sig = c.result("textDocument/signatureHelp", pos_params(&uri, 6, 10));
    let active = &sig["signatures"][sig["activeSignature"].as_u64().unwrap() as usize];
    assert!(active["label"].as_str().unwrap().starts_with("COPY [--from="), "{sig}");
    let p = active["activeParameter"].as_u64().unwrap() as usize;
    assert_eq!(active["parameters"][p]["label"], "--chown=<user>:<group>", "{sig}");
    // After the last word of COPY: the destination.
    let sig = c.result("textDocument/signatureHelp", pos_params(&uri, 5, 8));
    let active = &sig["signatures"][0];
    assert_eq!(active["parameters"][active["activeParameter"].as_u64().unwrap() as usize]["label"], "<dest>", "{sig}");
    // CMD written in exec form: the exec form is the active signature.
    let sig = c.result("textDocument/signatureHelp", pos_params(&uri, 7, 6));
    assert!(sig["signatures"][sig["activeSignature"].as_u64().unwrap() as usize]["label"].as_str().unwrap().starts_with("CMD [\""), "{sig}");
    // On the keyword there is nothing to help with yet.
    assert_eq!(c.result("textDocument/signatureHelp", pos_params(&uri, 7, 1)), Value::Null);

    // Links: the base image's Docker Hub page and the local requirements file.
    let links = c.result("textDocument/documentLink", json!({"textDocument": td(&uri)}));
    let targets: Vec<&str> = links.as_array().unwrap().iter().map(|l| l["target"].as_str().unwrap()).collect();
    assert!(targets.contains(&"https://hub.docker.com/_/python"), "{links}");
    assert!(targets.iter().any(|t| t.ends_with("/requirements.txt")), "{links}");

    // The split action rewrites the whole file into the two stages `dockstage split` prints.
    let actions = c.result("textDocument/codeAction", json!({"textDocument": td(&uri), "range": {"start": at(0, 0), "end": at(0, 0)}, "context": {"diagnostics": [], "only": ["refactor.rewrite"]}}));
    let split = actions.as_array().unwrap().iter().find(|a| a["title"].as_str().unwrap().starts_with("Split into a multi-stage build")).expect("split action");
    assert_eq!(split["kind"], "refactor.rewrite");
    let new_text = split["edit"]["changes"][&uri][0]["newText"].as_str().unwrap();
    let expected = dockstage_split::split(SINGLE_STAGE, &Default::default()).unwrap().dockerfile;
    assert_eq!(new_text, expected);
    assert!(new_text.contains("--from=builder"), "{new_text}");
    c.stop();
}

#[test]
fn every_corpus_file_gets_answers() {
    let mut c = Client::start();
    let files = corpus_files(|name| name != "SOURCES.md");
    assert!(files.len() > 200);
    for (n, path) in files.iter().enumerate() {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let uri = format!("file:///corpus/{n}/Dockerfile");
        c.open(&uri, &text);
        let _ = c.diagnostics(&uri);
        let syms = c.result("textDocument/documentSymbol", json!({"textDocument": td(&uri)}));
        let froms = text.lines().filter(|l| l.trim_start().to_ascii_uppercase().starts_with("FROM ")).count();
        if froms > 0 && dockstage_parses(&text) {
            let stages = syms.as_array().unwrap().iter().filter(|s| s["kind"] == 5).count();
            assert_eq!(stages, froms, "{}: one outline entry per stage", path.display());
        }
        c.result("textDocument/foldingRange", json!({"textDocument": td(&uri)}));
        c.result("textDocument/semanticTokens/full", json!({"textDocument": td(&uri)}));
        let lines = text.lines().count() as u32;
        for line in (0..lines).step_by(7) {
            c.result("textDocument/hover", pos_params(&uri, line, 2));
            c.result("textDocument/completion", pos_params(&uri, line, 5));
            c.result("textDocument/definition", pos_params(&uri, line, 8));
        }
        c.notify("textDocument/didClose", json!({"textDocument": td(&uri)}));
    }
    c.stop();
}

fn dockstage_parses(text: &str) -> bool {
    // A FROM inside a heredoc or continuation is not an instruction; count only clean files.
    !text.contains("<<") && !text.lines().any(|l| l.trim_end().ends_with('\\') && l.to_ascii_uppercase().contains("FROM "))
}

#[test]
fn thousands_of_random_edits_and_requests() {
    let pieces = [
        "FROM ", "alpine", " AS ", "b", "\n", "RUN ", "--mount=type=cache,from=b,target=/x ", "COPY --from=", "$", "${A:-x}", "ARG A=1\n", "ENV B=$A\n", "\\\n", "<<EOF\n", "EOF\n", "\"", "'", "#", " # syntax=x\n", "😀", "é", "\r\n", "ONBUILD ", "[\"a\", ", "]", "=", "--", "\t", "HEALTHCHECK --interval=1s CMD x\n",
    ];
    let methods = ["textDocument/hover", "textDocument/signatureHelp", "textDocument/completion", "textDocument/definition", "textDocument/documentHighlight", "textDocument/references", "textDocument/prepareRename"];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut c = Client::start();
    let uri = "untitled:fuzz";
    c.open(uri, SAMPLE);
    let mut version = 1;
    let mut lines = SAMPLE.lines().count();
    for round in 0..3000 {
        version += 1;
        // Positions may be past the end of a line, of the file, or inside a surrogate pair.
        let l1 = rng.below(lines + 3) as u32;
        let c1 = rng.below(40) as u32;
        let (l2, c2) = if rng.below(3) == 0 { (l1, c1) } else { (l1 + rng.below(3) as u32, rng.below(40) as u32) };
        let text: String = (0..rng.below(4)).map(|_| rng.pick(&pieces)).collect();
        lines = (lines + text.matches('\n').count()).min(400);
        let change = if round % 500 == 499 { json!({"text": SAMPLE}) } else { json!({"range": {"start": at(l1, c1), "end": at(l2, c2)}, "text": text}) };
        c.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}));
        let method = rng.pick(&methods);
        let mut params = pos_params(uri, rng.below(lines + 2) as u32, rng.below(50) as u32);
        if method == "textDocument/references" {
            params["context"] = json!({"includeDeclaration": true});
        }
        let r = c.request(method, params);
        assert!(r.get("result").is_some() || r["error"]["code"].is_i64(), "round {round}: {r}");
        assert_ne!(r["error"]["code"], -32603, "round {round}: internal error {r}");
        if round % 10 == 0 {
            for m in ["textDocument/semanticTokens/full", "textDocument/documentSymbol", "textDocument/foldingRange", "textDocument/codeAction"] {
                let mut p = json!({"textDocument": td(uri)});
                if m == "textDocument/codeAction" {
                    p["range"] = json!({"start": at(0, 0), "end": at(lines as u32, 0)});
                    p["context"] = json!({"diagnostics": []});
                }
                let r = c.request(m, p);
                assert!(r.get("result").is_some(), "round {round}: {m}: {r}");
            }
        }
    }
    c.stop();
}
