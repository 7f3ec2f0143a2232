//! rpm databases are found but not read. rpm keeps its database as SQLite
//! (`rpmdb.sqlite`, rpm 4.16 and later: Fedora 33+, RHEL 9), Berkeley DB (`Packages`, older
//! releases) or its own ndb format (`Packages.db`, openSUSE), each holding rpm header blobs.
//! Reading any of them needs a database engine this crate does not carry, so an image with one
//! gets a note saying so (in `inspect`'s text and JSON and in the SBOM) rather than a package
//! count that silently leaves rpm out.

/// Database files under `var/lib/rpm/` and `usr/lib/sysimage/rpm/` (where newer
/// distributions keep it, with the old path a symlink).
pub fn is_database(parts: &[&str]) -> bool {
    let dir_ok = matches!(parts, ["var", "lib", "rpm", _] | ["usr", "lib", "sysimage", "rpm", _]);
    dir_ok && matches!(parts.last(), Some(&("rpmdb.sqlite" | "Packages" | "Packages.db")))
}

/// The note for a database found at `location` (absolute in the image).
pub fn note(location: &str) -> String {
    format!("rpm database found at {location}: not read (unsupported)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_paths() {
        assert!(is_database(&["var", "lib", "rpm", "rpmdb.sqlite"]));
        assert!(is_database(&["usr", "lib", "sysimage", "rpm", "Packages.db"]));
        assert!(is_database(&["var", "lib", "rpm", "Packages"]));
        assert!(!is_database(&["var", "lib", "rpm", "rpmdb.sqlite-shm"]));
        assert!(!is_database(&["srv", "var", "lib", "rpm", "Packages"]));
    }
}
