//! The code layout crates/cli/build.rs asks the linker for: the functions `inspect` runs are
//! gathered in `.text.hot` at the front of the code, and the executable is position-dependent
//! (no start-up relocations). Both keep `inspect`'s resident memory down (BENCHMARKS.md,
//! "inspect memory"); this checks the linker really did it, on the binary the tests run.
#![cfg(target_os = "linux")]

use std::process::Command;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dockstage")
}

fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (binutils) is needed by this test: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// (address, size) of a section, from `readelf -SW`.
fn section(name: &str) -> Option<(u64, u64)> {
    run("readelf", &["-SW", bin()]).lines().find_map(|line| {
        let line = line.split_once(']')?.1;
        let f: Vec<&str> = line.split_whitespace().collect();
        (f.first() == Some(&name)).then(|| {
            (
                u64::from_str_radix(f[2], 16).expect("address"),
                u64::from_str_radix(f[4], 16).expect("size"),
            )
        })
    })
}

/// Addresses of the functions whose mangled names contain all of `parts`.
fn functions(parts: &[&str]) -> Vec<u64> {
    run("nm", &[bin()])
        .lines()
        .filter_map(|line| {
            let mut f = line.split_whitespace();
            let (addr, kind, name) = (f.next()?, f.next()?, f.next()?);
            (matches!(kind, "t" | "T") && parts.iter().all(|p| name.contains(p)))
                .then(|| u64::from_str_radix(addr, 16).ok())
                .flatten()
        })
        .collect()
}

#[test]
fn inspect_code_is_gathered_at_the_front_of_the_text() {
    let (hot, hot_size) =
        section(".text.hot").expect(".text.hot: the linker script was not applied");
    let (text, _) = section(".text").expect(".text");
    assert!(
        hot < text && hot_size > 64 * 1024,
        ".text.hot at {hot:#x}, {hot_size} bytes"
    );
    // Functions inspect spends its time in; if a rename moved them out, regenerate the list
    // with scripts/hot-functions.sh.
    for parts in [
        &["15dockstage_image", "4tree4Tree8add_path"][..],
        &["15dockstage_image", "8analysis8Analyzer4push"],
        &["3tar", "7archive"],
    ] {
        let addrs = functions(parts);
        assert!(!addrs.is_empty(), "no function named like {parts:?}");
        assert!(
            addrs.iter().any(|a| (hot..hot + hot_size).contains(a)),
            "{parts:?} is outside .text.hot: the hot function list is stale"
        );
    }
}

#[test]
fn the_executable_needs_no_start_up_relocations() {
    let header = run("readelf", &["-hW", bin()]);
    let kind = header
        .lines()
        .find(|l| l.trim_start().starts_with("Type:"))
        .expect("Type line");
    assert!(
        kind.contains("EXEC"),
        "expected a position-dependent executable: {kind}"
    );
}
