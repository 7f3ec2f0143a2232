//! `dockstage completions SHELL` and `dockstage man`: generated from the same clap definitions
//! the binary parses with, so they never drift from the real flags.

use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct CompletionArgs {
    /// The shell to complete for.
    shell: clap_complete::Shell,
}

#[derive(clap::Args)]
pub struct ManArgs {
    /// Directory to write dockstage.1 and dockstage-COMMAND.1 into (created if missing). Without
    /// it, dockstage.1 is printed.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn completions(args: CompletionArgs) -> Result<ExitCode, Box<dyn Error>> {
    let mut cmd = crate::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "dockstage", &mut buf);
    let mut out = std::io::stdout().lock();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn man(args: ManArgs) -> Result<ExitCode, Box<dyn Error>> {
    let cmd = crate::command();
    match args.dir {
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut buf)?;
            let mut out = std::io::stdout().lock();
            out.write_all(&buf)?;
            out.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            clap_mangen::generate_to(cmd, &dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            if !crate::term::quiet() {
                eprintln!("dockstage: man pages written to {}", dir.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
