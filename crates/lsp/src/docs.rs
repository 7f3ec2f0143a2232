//! Short documentation of each instruction and its flags, for hover and completion.

use dockstage_syntax::Keyword;

/// What an instruction does, in one paragraph.
pub fn instruction(kind: Keyword) -> &'static str {
    match kind {
        Keyword::Add => "Copies files, directories, remote URLs or git repositories into the image; local tar archives are unpacked. Prefer COPY for plain local files.",
        Keyword::Arg => "Declares a build argument (`--build-arg`). Before the first FROM it is a meta-ARG usable in FROM lines; inside a stage it is visible to the following instructions of that stage only, and `ARG NAME` there takes the meta-ARG's value.",
        Keyword::Cmd => "The default command (or the default arguments of ENTRYPOINT) of a container. Only the last CMD of a stage counts.",
        Keyword::Copy => "Copies files from the build context, another stage (`--from=stage`) or an image into the image.",
        Keyword::Entrypoint => "The executable a container runs. Exec form (`[\"bin\", \"arg\"]`) receives signals directly; shell form runs under `/bin/sh -c`.",
        Keyword::Env => "Sets environment variables for the following instructions and the container, inherited by stages built FROM this one.",
        Keyword::Expose => "Documents the ports the container listens on (`80`, `53/udp`). It publishes nothing.",
        Keyword::From => "Starts a build stage from a base image, an earlier stage, or `scratch`. `AS name` names the stage for `--from=` and `--target`.",
        Keyword::Healthcheck => "How the engine checks that a container still works (`HEALTHCHECK CMD ...`), or `HEALTHCHECK NONE` to disable the base image's.",
        Keyword::Label => "Adds key/value metadata to the image.",
        Keyword::Maintainer => "Deprecated: the image author. Use `LABEL org.opencontainers.image.authors=...`.",
        Keyword::Onbuild => "An instruction that runs later, when another build uses this image as its base.",
        Keyword::Run => "Runs a command in a new layer: shell form under the SHELL (`/bin/sh -c`), exec form without a shell. Heredocs (`RUN <<EOF`) give a script.",
        Keyword::Shell => "The shell used by the shell form of RUN, CMD and ENTRYPOINT, as a JSON array (`[\"/bin/bash\", \"-c\"]`).",
        Keyword::Stopsignal => "The signal that stops the container (`SIGTERM` by default).",
        Keyword::User => "The user (and group) for the following RUN, CMD and ENTRYPOINT.",
        Keyword::Volume => "Declares mount points whose content lives outside the container's layer.",
        Keyword::Workdir => "The working directory for the following instructions; created if missing. Relative paths build on the previous WORKDIR.",
        Keyword::Unknown => "Not an instruction BuildKit knows: the build fails here.",
    }
}

/// The flags of an instruction: `(name, what it does)`.
pub fn flags(kind: Keyword) -> &'static [(&'static str, &'static str)] {
    match kind {
        Keyword::From => &[("platform", "The platform of the base image, e.g. `linux/amd64` or `$BUILDPLATFORM`.")],
        Keyword::Run => &[
            ("mount", "A mount for this command only: `type=cache,target=/root/.cache`, `type=bind`, `type=secret,id=x`, `type=ssh`, `type=tmpfs`; `from=stage` takes a stage's files."),
            ("network", "The network of the command: `default`, `none` or `host`."),
            ("security", "`insecure` runs the command with extra privileges (needs an entitlement), `sandbox` is the default."),
        ],
        Keyword::Copy => &[
            ("from", "Copy from a stage (name or index) or an image instead of the build context."),
            ("chown", "Owner of the copied files: `user:group` (names or ids)."),
            ("chmod", "Mode of the copied files, e.g. `0755` or `u=rwx,go=rx`."),
            ("link", "Copy into an independent layer that stays cached when earlier layers change."),
            ("parents", "Keep the source paths' parent directories under the destination."),
            ("exclude", "A pattern of source paths to leave out."),
        ],
        Keyword::Add => &[
            ("chown", "Owner of the added files: `user:group`."),
            ("chmod", "Mode of the added files."),
            ("link", "Add into an independent layer."),
            ("checksum", "The expected digest of a remote source, e.g. `sha256:...`."),
            ("keep-git-dir", "Keep the `.git` directory of a git source."),
            ("exclude", "A pattern of source paths to leave out."),
        ],
        Keyword::Healthcheck => &[
            ("interval", "Time between checks (default 30s)."),
            ("timeout", "Time a check may take (default 30s)."),
            ("start-period", "Grace time after start during which failures do not count."),
            ("start-interval", "Time between checks during the start period."),
            ("retries", "Consecutive failures that make the container unhealthy (default 3)."),
        ],
        _ => &[],
    }
}

/// Keys of `RUN --mount=`.
pub const MOUNT_KEYS: &[&str] = &["type", "target", "source", "from", "id", "sharing", "mode", "uid", "gid", "readonly", "required", "size", "env"];
pub const MOUNT_TYPES: &[&str] = &["bind", "cache", "tmpfs", "secret", "ssh"];
/// Parser directives BuildKit reads from the head of the file.
pub const DIRECTIVES: &[(&str, &str)] = &[
    ("syntax", "The frontend image that builds this file, e.g. `docker/dockerfile:1`."),
    ("escape", "The escape character: `\\` (default) or `` ` `` (Windows paths)."),
    ("check", "Build checks: `skip=RuleA,RuleB` or `skip=all`, and `error=true` to fail the build on a check."),
];
