//! Which apt packages a build needs only while building, and which runtime library each
//! `-dev` package's headers belong to (Debian bookworm names; the table is ours to extend).

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
    ];
    TABLE.iter().find(|(d, _)| *d == dev).map(|(_, r)| *r)
}

/// Headers that come with the interpreter or compiler and have no separate runtime library.
pub fn is_header_only(dev: &str) -> bool {
    matches!(dev, "python3-dev" | "python-dev" | "libpython3-dev" | "linux-headers-generic" | "libc6-dev" | "libc-dev")
}
