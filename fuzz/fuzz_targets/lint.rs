//! Any text linted with every rule on (off-by-default ones included): exercises the parser,
//! the `# check=` directive and ignore pragmas, the stage model and target plans, the shell
//! model and every rule at once. Findings must point inside the file.
#![no_main]

use std::sync::OnceLock;

use dockstage_lint::{lint_source, registry, Config, Severity};
use libfuzzer_sys::fuzz_target;

fn all_rules() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let mut config = Config::default();
        for rule in registry() {
            let meta = rule.meta();
            let sev = if meta.severity == Severity::Ignore { Severity::Info } else { meta.severity };
            config.overrides.insert(meta.id.to_string(), sev);
        }
        config.label_schema.insert("maintainer".into(), dockstage_lint::LabelType::Email);
        config.label_schema.insert("version".into(), dockstage_lint::LabelType::Semver);
        config.strict_labels = true;
        config.trusted_registries.push("docker.io".into());
        config
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = lint_source("Dockerfile", &text, all_rules());
    let lines = text.lines().count().max(1) + 1;
    for f in &report.findings {
        assert!(f.line >= 1 && f.column >= 1, "{f:?}");
        assert!(f.line <= lines, "finding past the end: {f:?}");
    }
});
