use dockstage_model::shell::{run_bodies, shells_in_force, BodyOrigin, PackageManager, ShellKind, ShellScript};

fn names(s: &ShellScript) -> Vec<String> {
    s.commands().map(|c| c.name.clone()).collect()
}

fn sh(text: &str) -> ShellScript {
    ShellScript::parse(text, &ShellKind::default())
}

#[test]
fn flattens_lists_pipes_subshells_and_substitutions() {
    let s = sh("apt-get update && (cd /x; make) || echo $(date) | tee log; { true; }");
    assert_eq!(names(&s), ["apt-get", "cd", "make", "echo", "date", "tee", "true"]);
    assert!(s.has_pipes());
    let tee = s.commands().find(|c| c.name == "tee").unwrap();
    assert!(tee.in_pipeline);
    assert!(!s.commands().next().unwrap().in_pipeline);
}

#[test]
fn follows_wrappers_and_sh_c() {
    let s = sh("sudo -u root env DEBIAN_FRONTEND=noninteractive apt-get install -y curl && bash -ec 'pip install x && npm i y'");
    let apt = s.commands().find(|c| c.name == "apt-get").unwrap();
    assert_eq!(apt.wrappers, ["sudo", "env"]);
    assert_eq!(apt.assignments, [("DEBIAN_FRONTEND".to_string(), "noninteractive".to_string())]);
    assert_eq!(apt.args, ["install", "-y", "curl"]);
    let pip = s.commands().find(|c| c.name == "pip").unwrap();
    assert_eq!(pip.wrappers, ["bash -c"]);
    assert!(s.any_command("npm"));
    assert!(s.any_command("bash"), "the wrapper still ran");
}

#[test]
fn unquotes_words_and_reads_flags() {
    let s = sh("apt-get -qq install --no-install-recommends \"curl=7.*\" 'git' \\\n  vim");
    let c = s.commands().next().unwrap();
    assert_eq!(c.args, ["-qq", "install", "--no-install-recommends", "curl=7.*", "git", "vim"]);
    assert!(c.has_flag("q") && c.has_flag("no-install-recommends") && !c.has_flag("y"));
    let pk = s.installs_packages(PackageManager::Apt);
    assert_eq!(pk.len(), 3);
    assert_eq!(pk[0].name, "curl");
    assert_eq!(pk[0].version.as_deref(), Some("7.*"));
    assert_eq!(pk[1].version, None);
}

#[test]
fn package_versions_per_manager() {
    let s = sh("pip install --no-cache-dir -r req.txt flask==2.0 'b>=1' && npm install @scope/x@1.2 left-pad && apk add --no-cache curl=8.0-r0 && gem install rails:7.0");
    let pip = s.installs_packages(PackageManager::Pip);
    assert_eq!(pip.iter().map(|p| (p.name.as_str(), p.version.as_deref())).collect::<Vec<_>>(), [("flask", Some("2.0")), ("b", Some("1"))]);
    let npm = s.installs_packages(PackageManager::Npm);
    assert_eq!(npm[0].name, "@scope/x");
    assert_eq!(npm[0].version.as_deref(), Some("1.2"));
    assert_eq!(npm[1].version, None);
    assert!(s.uses_cache_cleanup(PackageManager::Pip));
    assert!(s.uses_cache_cleanup(PackageManager::Apk));
    assert!(!s.uses_cache_cleanup(PackageManager::Npm));
    assert_eq!(s.installs_packages(PackageManager::Gem)[0].version.as_deref(), Some("7.0"));
}

#[test]
fn apt_cleanup() {
    assert!(sh("apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*").uses_cache_cleanup(PackageManager::Apt));
    assert!(!sh("apt-get update && apt-get install -y x").uses_cache_cleanup(PackageManager::Apt));
}

#[test]
fn non_posix_shell_has_no_commands() {
    let pwsh = ShellKind::new(vec!["pwsh".into(), "-Command".into()]);
    assert!(!pwsh.is_posix());
    assert_eq!(ShellScript::parse("Invoke-WebRequest -Uri x", &pwsh).commands().count(), 0);
    assert!(ShellKind::new(vec!["/bin/bash".into(), "-o".into(), "pipefail".into(), "-c".into()]).has_pipefail());
}

#[test]
fn recovers_from_syntax_errors() {
    let s = sh("apt-get update && if then fi ) && curl x");
    assert!(s.has_errors());
    assert!(s.any_command("apt-get"));
}

fn df(src: &str) -> dockstage_syntax::Dockerfile {
    dockstage_syntax::parse(src).unwrap()
}

#[test]
fn run_forms_and_heredocs() {
    let d = df("FROM a AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN [\"sh\", \"-c\", \"apt-get update\"]\nRUN <<EOF\napt-get install -y x\nEOF\nRUN python3 <<EOF\nimport os\nEOF\nRUN cat <<EOF > /etc/x && chmod 600 /etc/x\nhello\nEOF\nRUN bash <<EOF\nmake install\nEOF\nFROM base\nRUN true\nFROM scratch\nRUN true\n");
    let shells = shells_in_force(&d);
    let ins = &d.instructions;
    assert!(shells[2].has_pipefail());
    let b = run_bodies(&ins[2], &shells[2]);
    assert_eq!(b[0].origin, BodyOrigin::Exec);
    assert!(b[0].script.any_command("apt-get"));
    let b = run_bodies(&ins[3], &shells[3]);
    assert_eq!(b.len(), 1);
    assert!(matches!(b[0].origin, BodyOrigin::Heredoc { .. }));
    assert!(b[0].script.any_command("apt-get"));
    let b = run_bodies(&ins[4], &shells[4]);
    assert!(b.iter().any(|b| b.interpreter.as_deref() == Some("python3")));
    assert!(!b.iter().any(|b| b.script.any_command("import")));
    let b = run_bodies(&ins[5], &shells[5]);
    assert!(b[0].script.any_command("chmod"));
    assert!(!b.iter().any(|b| b.script.any_command("hello")));
    let b = run_bodies(&ins[6], &shells[6]);
    assert!(b.iter().any(|b| b.script.any_command("make")));
    // FROM base inherits the SHELL of stage base; FROM scratch starts over.
    assert!(shells[8].has_pipefail());
    assert!(!shells[10].has_pipefail());
}

#[test]
fn never_panics_on_random_input_or_corpus() {
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let alphabet: Vec<char> = "ab $'\"\\`(){}[];&|<>\n\t#=-c*?!~0EOF".chars().collect();
    for _ in 0..3000 {
        let mut s = String::new();
        for _ in 0..(seed % 80) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        for c in sh(&s).commands() {
            let _ = (c.flags(), c.flag_values("u"), c.positional().count());
        }
        let _ = sh(&format!("sh -c '{s}'")).installs_packages(PackageManager::Pip);
    }
    // Deep nesting must not overflow the stack.
    let deep = "(".repeat(20000) + &")".repeat(20000);
    let _ = sh(&deep);
    let deep_sh = (0..10).fold("true".to_string(), |acc, _| format!("sh -c {}", shell_quote(&acc)));
    let _ = sh(&deep_sh);

    let shared = std::env::var("DOCKSTAGE_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").to_string());
    let corpus = std::path::Path::new(&shared).join("corpus");
    let mut files = Vec::new();
    let mut dirs = vec![corpus];
    while let Some(d) = dirs.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() { dirs.push(p) } else { files.push(p) }
        }
    }
    let mut runs = 0;
    for f in files {
        let Ok(src) = std::fs::read_to_string(&f) else { continue };
        let Ok(d) = dockstage_syntax::parse(&src) else { continue };
        let shells = shells_in_force(&d);
        for (i, ins) in d.instructions.iter().enumerate() {
            for b in run_bodies(ins, &shells[i]) {
                runs += 1;
                let _ = b.script.commands().count();
            }
        }
    }
    if std::env::var("DOCKSTAGE_SHARED").is_ok() {
        assert!(runs > 1000, "expected the corpus's RUN bodies, saw {runs}");
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

#[test]
fn as_written_keeps_wrappers_and_sh_c_scripts() {
    let s = ShellScript::parse_as_written("sudo apt-get install x && sh -c 'curl y | tar x' && env A=1 /usr/bin/pip install z");
    assert_eq!(names(&s), ["sudo", "sh", "env"]);
    let sudo = s.commands().next().unwrap();
    assert_eq!(sudo.args, ["apt-get", "install", "x"]);
    assert!(sudo.wrappers.is_empty());
    // The peeling parse of the same text sees through every wrapper.
    assert_eq!(names(&sh("sudo apt-get install x")), ["apt-get"]);
}

/// The language server's memo of parsed scripts: a remembered parse is the parse, each mode is
/// remembered apart, and turning the memo off parses afresh. (The memo is process-wide; other
/// tests in this binary only ever see the same parses through it.)
#[test]
fn remembered_parses_equal_fresh_ones() {
    use dockstage_model::shell::{remember_parsed_scripts, ShellKind, ShellScript};
    let text = "sudo apt-get install -y curl && sh -c 'pip install flask' | tee log";
    let fresh = format!("{:?}", ShellScript::parse(text, &ShellKind::default()));
    let fresh_as_written = format!("{:?}", ShellScript::parse_as_written(text));
    assert_ne!(fresh, fresh_as_written, "the two modes read this script differently");
    remember_parsed_scripts(true);
    for _ in 0..2 {
        assert_eq!(format!("{:?}", ShellScript::parse(text, &ShellKind::default())), fresh);
        assert_eq!(format!("{:?}", ShellScript::parse_as_written(text)), fresh_as_written);
    }
    // A non-POSIX shell reads no commands, memo or not.
    let powershell = ShellKind::new(vec!["pwsh".into(), "-Command".into()]);
    assert_eq!(ShellScript::parse(text, &powershell).commands().count(), 0);
    remember_parsed_scripts(false);
    assert_eq!(format!("{:?}", ShellScript::parse(text, &ShellKind::default())), fresh);
}
