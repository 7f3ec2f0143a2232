//! What the whole process knows about its terminal: whether to colour, whether to be quiet.
//! Set once from the global flags, read by every command.

use std::io::IsTerminal;
use std::sync::OnceLock;

/// `--color`: when to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set (non-empty); CLICOLOR_FORCE (not 0) forces it.
    Auto,
    Always,
    Never,
}

struct Settings {
    color: ColorWhen,
    quiet: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();

pub fn init(color: ColorWhen, quiet: bool) {
    let _ = SETTINGS.set(Settings { color, quiet });
}

fn settings() -> &'static Settings {
    SETTINGS.get_or_init(|| Settings { color: ColorWhen::Auto, quiet: false })
}

/// Whether `--quiet` was given: no progress bars or notes on stderr, no summaries.
pub fn quiet() -> bool {
    settings().quiet
}

/// The choice `auto` resolves to from the environment and whether the output is a terminal.
/// NO_COLOR (https://no-color.org) beats CLICOLOR_FORCE (https://bixense.com/clicolors), and an
/// explicit `--color` beats both.
pub fn resolve(when: ColorWhen, no_color: Option<&str>, clicolor_force: Option<&str>, is_terminal: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            if no_color.is_some_and(|v| !v.is_empty()) {
                false
            } else if clicolor_force.is_some_and(|v| !v.is_empty() && v != "0") {
                true
            } else {
                is_terminal
            }
        }
    }
}

/// Whether to colour a report written to standard output (`to_file` = it goes to `-o FILE`,
/// which only `--color always` colours).
pub fn color_stdout(to_file: bool) -> bool {
    if to_file {
        return settings().color == ColorWhen::Always;
    }
    let no_color = std::env::var("NO_COLOR").ok();
    let force = std::env::var("CLICOLOR_FORCE").ok();
    resolve(settings().color, no_color.as_deref(), force.as_deref(), std::io::stdout().is_terminal())
}

/// The same for clap's help and error messages.
pub fn clap_color(when: ColorWhen) -> clap::ColorChoice {
    let no_color = std::env::var("NO_COLOR").ok();
    let force = std::env::var("CLICOLOR_FORCE").ok();
    match when {
        ColorWhen::Auto if no_color.as_deref().is_some_and(|v| !v.is_empty()) => clap::ColorChoice::Never,
        ColorWhen::Auto if force.as_deref().is_some_and(|v| !v.is_empty() && v != "0") => clap::ColorChoice::Always,
        ColorWhen::Auto => clap::ColorChoice::Auto,
        ColorWhen::Always => clap::ColorChoice::Always,
        ColorWhen::Never => clap::ColorChoice::Never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_environment_and_no_color_beats_force() {
        assert!(resolve(ColorWhen::Always, Some("1"), None, false));
        assert!(!resolve(ColorWhen::Never, None, Some("1"), true));
        assert!(!resolve(ColorWhen::Auto, Some("1"), Some("1"), true));
        assert!(resolve(ColorWhen::Auto, Some(""), None, true));
        assert!(resolve(ColorWhen::Auto, None, Some("1"), false));
        assert!(!resolve(ColorWhen::Auto, None, Some("0"), false));
        assert!(!resolve(ColorWhen::Auto, None, None, false));
    }
}
