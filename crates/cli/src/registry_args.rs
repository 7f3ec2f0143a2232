//! The options for images read from a registry (`docker://HOST/NAME[:TAG]`), shared by the
//! commands that read images.
use std::path::PathBuf;
use std::time::Duration;

use dockstage_image::RegistryOptions;

#[derive(clap::Args, Debug, Clone)]
pub struct RegistryArgs {
    /// For docker:// images: the platform to pick from a manifest list, OS/ARCH[/VARIANT]
    /// (default: the host's).
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,
    /// For docker:// images: USER:PASSWORD (default: the auth files, REGISTRY_AUTH_FILE or
    /// ~/.docker/config.json).
    #[arg(long, value_name = "USER:PASSWORD")]
    pub creds: Option<String>,
    /// For docker:// images: check the registry's TLS certificate (false also allows plain HTTP).
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub tls_verify: bool,
    /// For docker:// images: a directory of CA certificates (*.crt) to trust.
    #[arg(long, value_name = "DIR")]
    pub cert_dir: Option<PathBuf>,
    /// For docker:// images: seconds to wait for a connection or the next bytes of an answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
}

impl RegistryArgs {
    pub fn options(&self) -> RegistryOptions {
        RegistryOptions {
            platform: self.platform.clone(),
            creds: self.creds.clone(),
            tls_verify: self.tls_verify,
            cert_dir: self.cert_dir.clone(),
            timeout: Duration::from_secs(self.timeout.max(1)),
            ..RegistryOptions::default()
        }
    }
}
