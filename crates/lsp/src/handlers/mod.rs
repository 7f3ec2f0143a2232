//! Request handlers, one module per area of the protocol. Each takes a [`Snapshot`] of one
//! document and the request's parameters, and returns the result as JSON.

pub mod code_actions;
pub mod completion;
pub mod diagnostics;
pub mod formatting;
pub mod hover;
pub mod navigation;
pub mod semantic_tokens;
pub mod signature_help;
pub mod symbols;

use std::sync::Arc;

use dockstage_lint::{Config, FileReport};
use dockstage_syntax::Span;
use lsp_server::ErrorCode;
use lsp_types::{Position, Range};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::analysis::Analysis;
use crate::document::Document;
use crate::main_loop::ClientInfo;

/// One document as a request sees it.
pub struct Snapshot<'a> {
    pub doc: &'a Document,
    pub analysis: Arc<Analysis>,
    pub config: Arc<Config>,
    pub client: &'a ClientInfo,
}

impl Snapshot<'_> {
    pub fn lint(&self) -> Arc<FileReport> {
        self.doc.lint(&self.config)
    }
    pub fn range(&self, span: Span) -> Range {
        self.doc.range(span.start, span.end)
    }
    /// The byte offset of a position, `None` when its line does not exist.
    pub fn offset(&self, pos: Position) -> Option<usize> {
        self.doc.offset(pos)
    }
    pub fn text(&self, span: Span) -> &str {
        self.doc.text.get(span.start..span.end).unwrap_or("")
    }
}

#[derive(Debug)]
pub struct HandlerError {
    pub code: ErrorCode,
    pub message: String,
}

impl HandlerError {
    pub fn invalid(message: impl Into<String>) -> HandlerError {
        HandlerError { code: ErrorCode::InvalidParams, message: message.into() }
    }
    pub fn failed(message: impl Into<String>) -> HandlerError {
        HandlerError { code: ErrorCode::RequestFailed, message: message.into() }
    }
}

fn params<T: DeserializeOwned>(v: Value) -> Result<T, HandlerError> {
    serde_json::from_value(v).map_err(|e| HandlerError::invalid(format!("bad parameters: {e}")))
}

fn json<T: serde::Serialize>(v: T) -> Result<Value, HandlerError> {
    serde_json::to_value(v).map_err(|e| HandlerError { code: ErrorCode::InternalError, message: e.to_string() })
}

pub fn dispatch(snap: &Snapshot, method: &str, p: Value) -> Result<Value, HandlerError> {
    match method {
        "textDocument/hover" => json(hover::hover(snap, params(p)?)),
        "textDocument/completion" => json(completion::completion(snap, params(p)?)),
        "textDocument/definition" => json(navigation::definition(snap, params(p)?)),
        "textDocument/references" => json(navigation::references(snap, params(p)?)),
        "textDocument/documentHighlight" => json(navigation::highlight(snap, params(p)?)),
        "textDocument/prepareRename" => json(navigation::prepare_rename(snap, params(p)?)),
        "textDocument/rename" => json(navigation::rename(snap, params(p)?)?),
        "textDocument/documentSymbol" => json(symbols::document_symbols(snap, params(p)?)),
        "textDocument/foldingRange" => json(symbols::folding_ranges(snap, params(p)?)),
        "textDocument/documentLink" => json(symbols::document_links(snap, params(p)?)),
        "textDocument/formatting" => json(formatting::format(snap, params(p)?)?),
        "textDocument/rangeFormatting" => json(formatting::format_range(snap, params(p)?)?),
        "textDocument/codeAction" => json(code_actions::code_actions(snap, params(p)?)),
        "textDocument/signatureHelp" => json(signature_help::signature_help(snap, params(p)?)),
        "textDocument/semanticTokens/full" => json(semantic_tokens::full(snap, params(p)?)),
        _ => Err(HandlerError { code: ErrorCode::MethodNotFound, message: format!("dockstage lsp does not handle {method}") }),
    }
}
