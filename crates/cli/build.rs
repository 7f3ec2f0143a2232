//! Link settings for the `dockstage` binary on Linux, chosen for resident memory: `inspect`'s
//! peak RSS is measured against dive's (BENCHMARKS.md, "inspect memory"), and the binary's own
//! code and start-up count in it.
//!
//! * `link/hot-functions.ld` gathers the functions that start-up, `inspect` and `lint` run into
//!   one section at the front of the code. The kernel maps code in 64-128 KB chunks around each
//!   fault, so the same functions spread over 10 MB of text made about 4 MB of it resident.
//!   `scripts/hot-functions.sh` regenerates the list.
//! * A position-dependent executable (`-no-pie`, as Go links dive and docker by default) needs
//!   no start-up relocations: the loader neither reads 0.6 MB of them nor writes 0.4 MB of
//!   pointer tables. Static builds (`+crt-static`, the image's) get the same by building with
//!   `-C relocation-model=static` (see Dockerfile), since rustc picks `-static-pie` otherwise.
use std::env;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=link/hot-functions.ld");
    println!("cargo:rerun-if-env-changed=DOCKSTAGE_LINK_DEFAULTS");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    // Lets the benchmark build the same binary with the linker's defaults, to compare.
    if env::var_os("DOCKSTAGE_LINK_DEFAULTS").is_some() {
        return;
    }
    let dir = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let script = Path::new(&dir).join("link").join("hot-functions.ld");
    println!("cargo:rustc-link-arg-bins=-Wl,-T,{}", script.display());
    let features = env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    if !features.split(',').any(|f| f == "crt-static") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
