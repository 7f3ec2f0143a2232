//! Which OS packages a build needs only while building, and which runtime library each
//! `-dev`/`-devel` package's headers belong to: Debian bookworm names for apt (a table that is
//! ours to extend), Alpine's and Fedora/CentOS's naming (the library is the headers package
//! without its suffix, with a few exceptions listed) for apk and yum/dnf.

use dockstage_model::shell::PackageManager;

/// Packages that only build: compilers, headers, fetch tools and installers.
pub fn is_build_only(name: &str) -> bool {
    const BUILD_ONLY: &[&str] = &[
        "build-essential", "gcc", "g++", "cpp", "make", "cmake", "clang", "llvm", "pkg-config", "pkgconf",
        "autoconf", "automake", "libtool", "git", "curl", "wget", "gfortran", "ninja-build", "swig",
        "cargo", "rustc", "golang", "golang-go", "python3-pip", "python-pip", "python3-setuptools",
        "python3-wheel", "unzip", "gnupg", "gnupg2", "software-properties-common", "apt-transport-https",
    ];
    BUILD_ONLY.contains(&name) || name.ends_with("-dev") || name.starts_with("gcc-") || name.starts_with("g++-")
}

/// The runtime library a `-dev` package's compiled users link against, when we know it.
pub fn runtime_library_of(dev: &str) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("libpq-dev", "libpq5"),
        ("libffi-dev", "libffi8"),
        ("libssl-dev", "libssl3"),
        ("libxml2-dev", "libxml2"),
        ("libxslt1-dev", "libxslt1.1"),
        ("libxslt-dev", "libxslt1.1"),
        ("libjpeg-dev", "libjpeg62-turbo"),
        ("libjpeg62-turbo-dev", "libjpeg62-turbo"),
        ("zlib1g-dev", "zlib1g"),
        ("libpng-dev", "libpng16-16"),
        ("libopenblas-dev", "libopenblas0"),
        ("libblas-dev", "libblas3"),
        ("liblapack-dev", "liblapack3"),
        ("default-libmysqlclient-dev", "libmariadb3"),
        ("libmariadb-dev", "libmariadb3"),
        ("libmariadb-dev-compat", "libmariadb3"),
        ("libsqlite3-dev", "libsqlite3-0"),
        ("libbz2-dev", "libbz2-1.0"),
        ("liblzma-dev", "liblzma5"),
        ("libcurl4-openssl-dev", "libcurl4"),
        ("libgeos-dev", "libgeos-c1v5"),
        ("libgdal-dev", "libgdal32"),
        ("libsnappy-dev", "libsnappy1v5"),
        ("libzstd-dev", "libzstd1"),
        ("libyaml-dev", "libyaml-0-2"),
        ("libmagic-dev", "libmagic1"),
        ("libldap2-dev", "libldap-2.5-0"),
        ("libsasl2-dev", "libsasl2-2"),
        ("libkrb5-dev", "libkrb5-3"),
        ("libgl1-mesa-dev", "libgl1"),
        ("libglib2.0-dev", "libglib2.0-0"),
        ("libsm-dev", "libsm6"),
        ("libxext-dev", "libxext6"),
        ("libxrender-dev", "libxrender1"),
        ("libfreetype6-dev", "libfreetype6"),
        ("libfreetype-dev", "libfreetype6"),
        ("libhdf5-dev", "libhdf5-103-1"),
        ("libsndfile1-dev", "libsndfile1"),
        ("portaudio19-dev", "libportaudio2"),
        ("libgmp-dev", "libgmp10"),
        ("libedit-dev", "libedit2"),
        ("libncurses-dev", "libncurses6"),
        ("libncurses5-dev", "libncurses6"),
        ("libreadline-dev", "libreadline8"),
        ("unixodbc-dev", "unixodbc"),
        ("libsodium-dev", "libsodium23"),
        ("libwebp-dev", "libwebp7"),
        ("libtiff-dev", "libtiff6"),
        ("libtiff5-dev", "libtiff6"),
        ("libcairo2-dev", "libcairo2"),
        ("libmemcached-dev", "libmemcached11"),
        ("libevent-dev", "libevent-2.1-7"),
        ("libgomp-dev", "libgomp1"),
        ("libopenjp2-7-dev", "libopenjp2-7"),
        ("liblcms2-dev", "liblcms2-2"),
        ("libharfbuzz-dev", "libharfbuzz0b"),
        ("libfribidi-dev", "libfribidi0"),
        ("librdkafka-dev", "librdkafka1"),
        ("libpcre3-dev", "libpcre3"),
        ("libpcre2-dev", "libpcre2-8-0"),
        ("libcap-dev", "libcap2"),
        ("libseccomp-dev", "libseccomp2"),
        ("libusb-1.0-0-dev", "libusb-1.0-0"),
    ];
    TABLE.iter().find(|(d, _)| *d == dev).map(|(_, r)| *r)
}

/// [`is_build_only`] for the naming of `manager`'s distribution.
pub(crate) fn is_build_only_for(manager: PackageManager, name: &str) -> bool {
    match manager {
        PackageManager::Apk => {
            matches!(name, "build-base" | "alpine-sdk" | "musl-dev" | "linux-headers" | "libc-dev" | "g++" | "py3-pip" | "py-pip" | "go" | "rust" | "cargo")
                || is_build_only(name)
        }
        PackageManager::Yum | PackageManager::Dnf | PackageManager::Microdnf => {
            matches!(name, "gcc-c++" | "python-pip" | "python3-pip" | "python-devel" | "python3-devel" | "kernel-headers" | "glibc-devel" | "redhat-rpm-config" | "golang")
                || name.ends_with("-devel")
                || is_build_only(name)
        }
        _ => is_build_only(name),
    }
}

/// [`runtime_library_of`] for the naming of `manager`'s distribution.
pub(crate) fn runtime_library_for(manager: PackageManager, dev: &str) -> Option<String> {
    match manager {
        PackageManager::Apk => {
            const EXCEPTIONS: &[(&str, &str)] = &[("postgresql-dev", "libpq"), ("mariadb-dev", "mariadb-connector-c"), ("jpeg-dev", "libjpeg-turbo"), ("openssl-dev", "libssl3")];
            if let Some((_, lib)) = EXCEPTIONS.iter().find(|(d, _)| *d == dev) {
                return Some(lib.to_string());
            }
            let lib = dev.strip_suffix("-dev")?;
            (!is_header_only(dev) && !matches!(dev, "musl-dev" | "linux-headers" | "python3-dev" | "libc-dev")).then(|| lib.to_string())
        }
        PackageManager::Yum | PackageManager::Dnf | PackageManager::Microdnf => {
            const EXCEPTIONS: &[(&str, &str)] = &[
                ("openssl-devel", "openssl-libs"),
                ("postgresql-devel", "postgresql-libs"),
                ("mysql-devel", "mysql-libs"),
                ("mariadb-devel", "mariadb-libs"),
                ("libjpeg-devel", "libjpeg-turbo"),
                ("libjpeg-turbo-devel", "libjpeg-turbo"),
                ("zlib-devel", "zlib"),
            ];
            if let Some((_, lib)) = EXCEPTIONS.iter().find(|(d, _)| *d == dev) {
                return Some(lib.to_string());
            }
            let lib = dev.strip_suffix("-devel")?;
            (!matches!(dev, "python-devel" | "python3-devel" | "glibc-devel" | "kernel-devel")).then(|| lib.to_string())
        }
        _ => runtime_library_of(dev).map(String::from),
    }
}

/// A bookworm library name as the older release `base` is built on spells it (bullseye, buster,
/// Ubuntu 20.04), where the soname differs.
pub(crate) fn for_release(lib: String, base: &str) -> String {
    const OLDER: &[&str] = &["bullseye", "buster", "focal", "ubuntu:20.04"];
    if !OLDER.iter().any(|r| base.contains(r)) {
        return lib;
    }
    const RENAMED: &[(&str, &str)] = &[
        ("libssl3", "libssl1.1"),
        ("libffi8", "libffi7"),
        ("libldap-2.5-0", "libldap-2.4-2"),
        ("libtiff6", "libtiff5"),
        ("libwebp7", "libwebp6"),
        ("libgdal32", "libgdal28"),
    ];
    RENAMED.iter().find(|(new, _)| *new == lib).map_or(lib, |(_, old)| old.to_string())
}

/// Headers that come with the interpreter or compiler and have no separate runtime library.
pub fn is_header_only(dev: &str) -> bool {
    matches!(dev, "python3-dev" | "python-dev" | "libpython3-dev" | "linux-headers-generic" | "libc6-dev" | "libc-dev" | "musl-dev" | "linux-headers" | "python-devel" | "python3-devel" | "glibc-devel" | "kernel-headers")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libraries_by_distribution_and_release() {
        assert_eq!(runtime_library_of("libpq-dev"), Some("libpq5"));
        assert_eq!(for_release("libssl3".into(), "golang:1.22-bullseye"), "libssl1.1");
        assert_eq!(for_release("libssl3".into(), "python:3.11"), "libssl3");
        assert_eq!(runtime_library_for(PackageManager::Apk, "postgresql-dev").as_deref(), Some("libpq"));
        assert_eq!(runtime_library_for(PackageManager::Apk, "libxml2-dev").as_deref(), Some("libxml2"));
        assert_eq!(runtime_library_for(PackageManager::Apk, "musl-dev"), None);
        assert_eq!(runtime_library_for(PackageManager::Yum, "openssl-devel").as_deref(), Some("openssl-libs"));
        assert_eq!(runtime_library_for(PackageManager::Yum, "python3-devel"), None);
        assert!(is_build_only_for(PackageManager::Apk, "build-base") && !is_build_only_for(PackageManager::Apk, "libpq"));
        assert!(is_build_only_for(PackageManager::Yum, "gcc-c++") && is_build_only_for(PackageManager::Yum, "zlib-devel"));
        for (dev, lib) in [("libssl-dev", "libssl3"), ("zlib1g-dev", "zlib1g")] {
            assert!(is_build_only(dev) && !is_build_only(lib), "{dev} builds, {lib} runs");
        }
    }
}
