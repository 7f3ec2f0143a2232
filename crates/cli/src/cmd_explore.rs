//! `dockstage explore IMAGE`: the interactive explorer (crate dockstage-explore) on this terminal.
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use dockstage_image::dockerfile_map;

use crate::cmd_inspect::{fail, source_bytes};

#[derive(Args, Debug)]
pub struct ExploreArgs {
    /// Image: a docker-archive or oci-archive tarball, an OCI layout directory (oci:DIR), or a
    /// name in the engine at DOCKER_HOST (docker-daemon:NAME, or any name that is not a path).
    pub image: String,
    /// The Dockerfile that built the image: layers show the instruction and line that made them.
    #[arg(long, value_name = "FILE")]
    pub dockerfile: Option<PathBuf>,
}

pub fn run(args: ExploreArgs) -> ExitCode {
    let instructions = match &args.dockerfile {
        Some(p) => match std::fs::read_to_string(p) {
            Ok(t) => match dockstage_syntax::parse(&t) {
                Ok(df) => Some(dockerfile_map::instructions(&df)),
                Err(e) => return fail(&format!("{}:{e}", p.display())),
            },
            Err(e) => return fail(&format!("{}: {e}", p.display())),
        },
        None => None,
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        // An unreadable image is reported as such whether or not there is a terminal.
        if let Err(e) = dockstage_explore::open(&args.image) {
            return fail(&e.to_string());
        }
        return fail("explore needs a terminal; use `dockstage inspect` for a report");
    }
    let opts = dockstage_explore::Options {
        color: crate::term::color_stdout(false),
        source_bytes: source_bytes(&args.image),
    };
    match dockstage_explore::run(&args.image, instructions.as_deref(), opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e.to_string()),
    }
}
