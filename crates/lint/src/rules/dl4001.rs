//! # DL4001: Either use wget or curl, not both
//!
//! Severity: warning. Semantics: hadolint's DL4001.
//!
//! A RUN that runs `curl` or `wget` in a stage where RUNs have already run the other (or this RUN runs both).
//!
//! ## Why
//!
//! Two tools for the same job means two packages installed in the image; pick one.
//!
//! ## Bad
//!
//! ```dockerfile
//! RUN curl -fsSLO https://example.com/a.tar.gz
//! RUN wget -q https://example.com/b.tar.gz
//! ```
//!
//! ## Good
//!
//! ```dockerfile
//! RUN curl -fsSLO https://example.com/a.tar.gz
//! RUN curl -fsSLO https://example.com/b.tar.gz
//! ```

#[allow(unused_imports)]
use crate::rules::prelude::*;

declare_rule! {
    Dl4001 { id: "DL4001", name: "curl-or-wget", severity: Warning, origin: Hadolint, summary: "Either use Wget or Curl but not both", source: include_str!("dl4001.rs") }
    fn check(ctx, out) {
        for stream in hs::streams(ctx.instructions()) {
            let (mut curl, mut wget) = (false, false);
            for (i, ins) in stream {
                match ins.kind {
                    Keyword::From => (curl, wget) = (false, false),
                    Keyword::Run => {
                        let Some(r) = &ctx.runs()[i] else { continue };
                        let (c, w) = (r.any(|c| c.name == "curl"), r.any(|c| c.name == "wget"));
                        curl |= c;
                        wget |= w;
                        if (c || w) && curl && wget {
                            out.push(ctx.summary(&META, &ctx.instructions()[i]));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}
