//! A small LSP client over a child's stdio, shared by the LSP tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    notifications: Vec<Value>,
}

impl Client {
    pub fn start() -> Client {
        Client::start_with(env!("CARGO_BIN_EXE_dockstage"), &["lsp"], true)
    }

    /// Any language server on stdio; `hierarchical` says whether we accept nested symbols.
    pub fn start_with(program: &str, args: &[&str], hierarchical: bool) -> Client {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dockstage lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse().unwrap();
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                if tx.send(serde_json::from_slice(&body).expect("server sent JSON")).is_err() {
                    return;
                }
            }
        });
        let mut c = Client { child, stdin, rx, next_id: 0, notifications: Vec::new() };
        let init = c.request("initialize", json!({
            "processId": null, "rootUri": null,
            "capabilities": {"textDocument": {"documentSymbol": {"hierarchicalDocumentSymbolSupport": hierarchical}, "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}}},
            "initializationOptions": {"debounceMs": 0}
        }));
        assert!(init["result"]["capabilities"].is_object(), "{init}");
        c.notify("initialized", json!({}));
        c
    }

    pub fn send(&mut self, msg: Value) {
        let body = serde_json::to_vec(&msg).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The whole response: `result` or `error`.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let msg = self.rx.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| panic!("no answer to {method} within 30 s"));
            if msg["id"] == json!(id) {
                return msg;
            }
            self.notifications.push(msg);
        }
    }

    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let r = self.request(method, params);
        assert!(r.get("error").is_none(), "{method} failed: {r}");
        r["result"].clone()
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        if let Some(i) = self.notifications.iter().position(|n| n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri) {
            return self.notifications.remove(i)["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let msg = self.rx.recv_timeout(Duration::from_secs(30)).expect("diagnostics within 30 s");
            if msg["method"] == "textDocument/publishDiagnostics" && msg["params"]["uri"] == uri {
                return msg["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}));
    }

    pub fn stop(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none());
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "server exit status {status}");
    }
}


pub fn at(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

pub fn td(uri: &str) -> Value {
    json!({"uri": uri})
}

pub fn pos_params(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": td(uri), "position": at(line, character)})
}

/// `../shared` (or `$DOCKSTAGE_SHARED`): the corpus and fixtures every LSP test reads.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("DOCKSTAGE_SHARED") {
        Some(p) => PathBuf::from(p),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

/// The corpus files whose names `keep` accepts, in a stable order.
pub fn corpus_files(keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    fn walk(dir: &Path, keep: &dyn Fn(&str) -> bool, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, keep, out);
            } else if p.file_name().and_then(|n| n.to_str()).is_some_and(keep) {
                out.push(p);
            }
        }
    }
    let corpus = shared_dir().join("corpus");
    assert!(corpus.is_dir(), "corpus not found at {} (set DOCKSTAGE_SHARED)", corpus.display());
    let mut out = Vec::new();
    walk(&corpus, &keep, &mut out);
    out
}
