//! Node packages: each `node_modules/NAME/package.json` (or `@SCOPE/NAME`).
use super::{Ecosystem, Package};

#[derive(serde::Deserialize, serde::Serialize)]
struct Manifest {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    license: Option<serde_json::Value>,
}

/// Keeps name, version and license.
pub fn shrink(data: &[u8]) -> Vec<u8> {
    match serde_json::from_slice::<Manifest>(data) {
        Ok(m) => serde_json::to_vec(&m).unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

pub fn parse(data: &[u8], location: &str) -> Option<Package> {
    let m: Manifest = serde_json::from_slice(data).ok()?;
    let name = m.name.filter(|n| !n.is_empty())?;
    Some(Package {
        ecosystem: Ecosystem::Npm,
        name,
        version: m.version.unwrap_or_default(),
        arch: None,
        size_bytes: None,
        license: match m.license {
            Some(serde_json::Value::String(s)) => Some(s),
            _ => None,
        },
        location: location.to_string(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn manifest() {
        let small = super::shrink(br#"{"name":"@types/node","version":"20.1.0","license":"MIT","scripts":{"x":"y"}}"#);
        let p = super::parse(&small, "/app/node_modules/@types/node/package.json").unwrap();
        assert_eq!((p.name.as_str(), p.version.as_str()), ("@types/node", "20.1.0"));
        assert!(super::parse(b"{", "x").is_none());
    }
}
