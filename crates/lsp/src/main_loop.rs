//! The loop: one message at a time over the server's state, diagnostics published once a
//! document has been quiet for the debounce time.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crossbeam_channel::RecvTimeoutError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::Notification as _;
use lsp_types::*;
use serde_json::{json, Value};

use crate::config::ConfigCache;
use crate::document::Document;
use crate::handlers::{self, HandlerError, Snapshot};
use crate::Options;

/// What the server offers.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["-", "=", "$", "{", ",", "#", " "].map(String::from).to_vec()),
            ..Default::default()
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some([" ", "="].map(String::from).to_vec()),
            retrigger_characters: Some([","].map(String::from).to_vec()),
            work_done_progress_options: Default::default(),
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions { prepare_provider: Some(true), work_done_progress_options: Default::default() })),
        document_highlight_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_link_provider: Some(DocumentLinkOptions { resolve_provider: Some(false), work_done_progress_options: Default::default() }),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::REFACTOR_REWRITE, CodeActionKind::SOURCE_FIX_ALL]),
            ..Default::default()
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
            legend: handlers::semantic_tokens::legend(),
            full: Some(SemanticTokensFullOptions::Bool(true)),
            range: Some(false),
            ..Default::default()
        })),
        ..Default::default()
    }
}

/// What the server remembers of the client.
#[derive(Debug, Default, Clone)]
pub struct ClientInfo {
    pub hierarchical_symbols: bool,
    pub code_action_literals: bool,
}

pub struct GlobalState {
    sender: crossbeam_channel::Sender<Message>,
    pub options: Options,
    pub client: ClientInfo,
    docs: HashMap<String, Document>,
    /// Documents whose diagnostics are due, and when.
    pending: HashMap<String, Instant>,
    configs: ConfigCache,
    config_errors_shown: HashSet<String>,
    rule_docs: handlers::diagnostics::RuleDocs,
}

/// Runs the initialize handshake and then the loop.
pub fn serve(connection: Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let result = json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "dockstage", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result).map_err(|e| e.to_string())?;
    let mut options = Options::default();
    if let Some(ms) = params.initialization_options.as_ref().and_then(|o| o.get("debounceMs")).and_then(Value::as_u64) {
        options.debounce = Duration::from_millis(ms);
    }
    let td = params.capabilities.text_document.as_ref();
    let client = ClientInfo {
        hierarchical_symbols: td.and_then(|t| t.document_symbol.as_ref()).and_then(|s| s.hierarchical_document_symbol_support).unwrap_or(false),
        code_action_literals: td.and_then(|t| t.code_action.as_ref()).is_some_and(|c| c.code_action_literal_support.is_some()),
    };
    main_loop(connection, options, client)
}

pub fn main_loop(connection: Connection, options: Options, client: ClientInfo) -> Result<(), String> {
    // Each change re-lints the whole text; RUN scripts an edit did not touch are not re-parsed.
    dockstage_model::shell::remember_parsed_scripts(true);
    let mut state = GlobalState {
        sender: connection.sender.clone(),
        options,
        client,
        docs: HashMap::new(),
        pending: HashMap::new(),
        configs: ConfigCache::default(),
        config_errors_shown: HashSet::new(),
        rule_docs: handlers::diagnostics::RuleDocs::new(),
    };
    loop {
        let next_due = state.pending.values().min().copied();
        let message = match next_due {
            Some(due) => match connection.receiver.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(m) => Some(m),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            },
            None => match connection.receiver.recv() {
                Ok(m) => Some(m),
                Err(_) => return Ok(()),
            },
        };
        match message {
            Some(Message::Request(req)) => {
                if connection.handle_shutdown(&req).map_err(|e| e.to_string())? {
                    return Ok(());
                }
                let response = state.on_request(req);
                state.send(Message::Response(response));
            }
            Some(Message::Notification(n)) => {
                if n.method == notification::Exit::METHOD {
                    return Ok(());
                }
                state.on_notification(n);
            }
            Some(Message::Response(_)) | None => {}
        }
        state.publish_due();
    }
}

impl GlobalState {
    fn send(&self, message: Message) {
        // The client is gone when this fails; the loop ends when the reader sees it.
        let _ = self.sender.send(message);
    }

    fn notify<N: notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(N::METHOD.to_string(), params)));
    }

    fn on_notification(&mut self, n: Notification) {
        let params = n.params;
        match n.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(params) else { return };
                let uri = p.text_document.uri.as_str().to_string();
                self.docs.insert(uri.clone(), Document::new(uri.clone(), p.text_document.version, p.text_document.text));
                self.pending.insert(uri, Instant::now());
            }
            notification::DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(params) else { return };
                let uri = p.text_document.uri.as_str().to_string();
                if let Some(doc) = self.docs.get_mut(&uri) {
                    doc.apply_changes(p.text_document.version, p.content_changes);
                    self.pending.insert(uri, Instant::now() + self.options.debounce);
                }
            }
            notification::DidSaveTextDocument::METHOD | notification::DidChangeWatchedFiles::METHOD => {
                // Files beside the Dockerfile (.dockerignore, .hadolint.yaml) may have changed.
                for (uri, doc) in &mut self.docs {
                    doc.forget_lint();
                    self.pending.insert(uri.clone(), Instant::now());
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(params) else { return };
                let uri = p.text_document.uri.as_str().to_string();
                self.docs.remove(&uri);
                self.pending.remove(&uri);
                if let Ok(uri) = uri.parse::<Uri>() {
                    self.notify::<notification::PublishDiagnostics>(PublishDiagnosticsParams { uri, diagnostics: Vec::new(), version: None });
                }
            }
            _ => {}
        }
    }

    fn publish_due(&mut self) {
        let now = Instant::now();
        let due: Vec<String> = self.pending.iter().filter(|(_, &t)| t <= now).map(|(u, _)| u.clone()).collect();
        for uri in due {
            self.pending.remove(&uri);
            let Some(doc) = self.docs.get(&uri) else { continue };
            let resolved = self.configs.for_document(doc.path.as_deref());
            if let Some(err) = resolved.error {
                if self.config_errors_shown.insert(err.clone()) {
                    self.notify::<notification::ShowMessage>(ShowMessageParams { typ: MessageType::WARNING, message: format!("dockstage: {err} (using the default configuration)") });
                }
            }
            let diagnostics = match catch_unwind(AssertUnwindSafe(|| handlers::diagnostics::diagnostics(doc, &resolved.config, &mut self.rule_docs))) {
                Ok(d) => d,
                Err(_) => continue,
            };
            let Ok(uri) = uri.parse::<Uri>() else { continue };
            self.notify::<notification::PublishDiagnostics>(PublishDiagnosticsParams { uri, diagnostics, version: Some(doc.version) });
        }
    }

    fn on_request(&mut self, req: Request) -> Response {
        let Request { id, method, params } = req;
        let Some(uri) = params.pointer("/textDocument/uri").and_then(Value::as_str).map(String::from) else {
            return match method.as_str() {
                "workspace/executeCommand" => Response::new_ok(id, Value::Null),
                _ => Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("dockstage lsp does not handle {method}")),
            };
        };
        let Some(doc) = self.docs.get(&uri) else {
            return Response::new_err(id, ErrorCode::InvalidParams as i32, format!("{uri} is not open"));
        };
        let config = self.configs.for_document(doc.path.as_deref()).config;
        let snap = Snapshot { doc, analysis: doc.analysis(), config, client: &self.client };
        let result = catch_unwind(AssertUnwindSafe(|| handlers::dispatch(&snap, &method, params)));
        match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(HandlerError { code, message })) => Response::new_err(id, code as i32, message),
            Err(panic) => {
                let what = panic.downcast_ref::<String>().cloned().or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
                Response::new_err(id, ErrorCode::InternalError as i32, format!("dockstage lsp: internal error in {method}: {what}"))
            }
        }
    }
}

/// Where the rule documentation files are written, for diagnostics' `codeDescription` links.
pub fn rule_docs_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("dockstage").join(concat!("rules-", env!("CARGO_PKG_VERSION")))
}
