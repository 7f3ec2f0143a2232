//! The syntax tree of a Dockerfile.
//!
//! Every node keeps the byte span it came from, so tools can point at it and rewrite it without
//! disturbing the rest of the file. Field meanings follow BuildKit's parser (`parser.Node`), so that
//! a value printed by dockstage means what BuildKit means by it.

use serde::Serialize;

/// A half-open byte range `start..end` into the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A parsed Dockerfile: parser directives, instructions and comments, in source order.
#[derive(Debug, Clone, Serialize)]
pub struct Dockerfile {
    /// Parser directives (`# syntax=`, `# escape=`, `# check=`) from the head of the file.
    pub directives: Vec<Directive>,
    /// The escape character in force: `\` unless an `escape` directive says `` ` ``.
    pub escape: char,
    pub instructions: Vec<Instruction>,
    /// Every comment line, including those inside line continuations and directives.
    pub comments: Vec<Comment>,
    /// Things BuildKit accepts but warns about.
    pub warnings: Vec<Warning>,
}

impl Dockerfile {
    /// The value of a parser directive, by lower-case name.
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }
}

/// A parser directive such as `# escape=`` ` ``.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Directive {
    /// Lower-cased name: `syntax`, `escape` or `check`.
    pub name: String,
    pub value: String,
    /// 1-based line number.
    pub line: usize,
    pub span: Span,
}

/// A `#` comment line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comment {
    /// The text after `#`, trimmed of surrounding white space.
    pub text: String,
    /// 1-based line number.
    pub line: usize,
    pub span: Span,
}

/// A non-fatal finding of the parser itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    pub message: String,
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum WarningKind {
    /// A blank line inside a line continuation (BuildKit's `NoEmptyContinuation`).
    EmptyContinuationLine,
}

/// The instructions BuildKit knows. Anything else parses (BuildKit ignores unknown words at parse
/// time and rejects them when building) and is kept as [`Keyword::Unknown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Keyword {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    Unknown,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::Add,
        Keyword::Arg,
        Keyword::Cmd,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Env,
        Keyword::Expose,
        Keyword::From,
        Keyword::Healthcheck,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Onbuild,
        Keyword::Run,
        Keyword::Shell,
        Keyword::Stopsignal,
        Keyword::User,
        Keyword::Volume,
        Keyword::Workdir,
    ];

    /// Case-insensitive lookup, as BuildKit dispatches on the lower-cased word.
    pub fn from_word(word: &str) -> Keyword {
        Keyword::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(word))
            .unwrap_or(Keyword::Unknown)
    }

    /// The canonical upper-case spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Add => "ADD",
            Keyword::Arg => "ARG",
            Keyword::Cmd => "CMD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Env => "ENV",
            Keyword::Expose => "EXPOSE",
            Keyword::From => "FROM",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Run => "RUN",
            Keyword::Shell => "SHELL",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::User => "USER",
            Keyword::Volume => "VOLUME",
            Keyword::Workdir => "WORKDIR",
            Keyword::Unknown => "UNKNOWN",
        }
    }

    /// Instructions whose arguments may introduce heredocs.
    pub fn takes_heredocs(self) -> bool {
        matches!(self, Keyword::Add | Keyword::Copy | Keyword::Run)
    }
}

/// A `--name=value` flag written before an instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// The flag as BuildKit reports it: quotes removed, escapes applied, e.g. `--from=builder`.
    pub raw: String,
    /// The name without dashes, e.g. `from`.
    pub name: String,
    /// The text after the first `=`, if any.
    pub value: Option<String>,
}

impl Flag {
    pub(crate) fn from_raw(raw: String) -> Flag {
        let body = raw.trim_start_matches('-');
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (body.to_string(), None),
        };
        Flag { raw, name, value }
    }
}

/// A heredoc attached to RUN, COPY or ADD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heredoc {
    /// The delimiter word with quotes removed.
    pub name: String,
    /// The file descriptor written before `<<` (0 when none).
    pub file_descriptor: u64,
    /// False when the delimiter was quoted: the body is then taken literally.
    pub expand: bool,
    /// True for `<<-`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// The body as written, every line with its newline, leading tabs kept.
    pub content: String,
    /// 1-based line of the terminator.
    pub end_line: usize,
}

impl Heredoc {
    /// The body as the build sees it: with `<<-`, leading tabs removed from every line.
    pub fn effective_content(&self) -> String {
        if !self.chomp {
            return self.content.clone();
        }
        self.content
            .split_inclusive('\n')
            .map(|line| line.trim_start_matches('\t'))
            .collect()
    }
}

/// One instruction: a logical line (continuations joined) plus any heredoc bodies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instruction {
    /// The instruction word as written (`from`, `FROM`, `From` ...).
    pub keyword: String,
    pub kind: Keyword,
    pub flags: Vec<Flag>,
    /// The argument list as BuildKit's node chain holds it (see [`crate::parse`] for the shape
    /// each instruction gets). For ONBUILD this is empty and [`Instruction::onbuild`] holds the
    /// inner instruction.
    pub args: Vec<String>,
    /// Whether the arguments were written as a JSON array (exec form).
    pub json: bool,
    /// The logical line: continuations removed, comment lines dropped, heredoc bodies excluded.
    pub original: String,
    /// 1-based first and last physical line, heredoc bodies included.
    pub start_line: usize,
    pub end_line: usize,
    /// 1-based column of the instruction word.
    pub column: usize,
    /// Bytes from the instruction word to the end of its last line (newline excluded).
    pub span: Span,
    pub heredocs: Vec<Heredoc>,
    /// The instruction carried by `ONBUILD`.
    pub onbuild: Option<Box<Instruction>>,
    /// Comment lines directly above (a blank comment `#` resets them), as BuildKit keeps them.
    pub comments_before: Vec<String>,
}

impl Instruction {
    /// The instruction that takes effect: the inner one for ONBUILD, else itself.
    pub fn effective(&self) -> &Instruction {
        self.onbuild.as_deref().unwrap_or(self)
    }

    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().find(|f| f.name == name)
    }

    /// ENV and LABEL pairs as `(key, value)`; values keep their quotes as written.
    pub fn key_values(&self) -> Vec<(&str, &str)> {
        match self.kind {
            Keyword::Env | Keyword::Label => self
                .args
                .chunks(3)
                .filter(|c| c.len() >= 2)
                .map(|c| (c[0].as_str(), c[1].as_str()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The argument list as BuildKit versions before 0.13 reported it, which is what the
    /// `dockerfile` Python package shows: ENV and LABEL pairs without their separator entries.
    pub fn legacy_values(&self) -> Vec<String> {
        let inner = self.effective();
        if inner.onbuild.is_some() {
            // A nested ONBUILD's argument is a node holding the inner instruction, whose value
            // is empty.
            return vec![String::new()];
        }
        match inner.kind {
            Keyword::Env | Keyword::Label => inner
                .args
                .chunks(3)
                .flat_map(|c| c.iter().take(2).cloned())
                .collect(),
            _ => inner.args.clone(),
        }
    }
}
