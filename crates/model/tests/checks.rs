use dockstage_model::shell::checks::*;
use dockstage_model::shell::{run_bodies, shells_in_force, ShellKind, ShellScript};

fn sh(t: &str) -> ShellScript {
    ShellScript::parse(t, &ShellKind::default())
}

fn run(src: &str) -> (dockstage_syntax::ast::Instruction, ShellScript) {
    let d = dockstage_syntax::parse(src).unwrap();
    let shells = shells_in_force(&d);
    let ins = d.instructions.last().unwrap().clone();
    let body = run_bodies(&ins, shells.last().unwrap()).remove(0);
    (ins, body.script)
}

#[test]
fn apt_rules() {
    assert!(dl3008(&sh("apt-get install -y curl")));
    assert!(!dl3008(&sh("apt-get install -y curl=7.1 ./x.deb")));
    assert!(!dl3008(&sh("apt-get install -t bookworm-backports -y curl=7.1")));
    assert!(dl3014(&sh("apt-get install curl=1")));
    assert!(!dl3014(&sh("apt-get -qq install curl=1")));
    assert!(!dl3014(&sh("apt-get -q -q install curl=1")));
    assert!(dl3015(&sh("apt-get install -y curl")));
    assert!(!dl3015(&sh("apt-get install -y --no-install-recommends curl")));
    assert!(dl3027(&sh("apt install x")));
    assert!(!dl3027(&sh("apt-get install x")));
    // Seen through wrappers, which hadolint does not do.
    assert!(dl3014(&sh("sudo apt-get install curl")));
    assert!(dl3004(&sh("sudo apt-get install curl")));
    assert!(!dl3004(&sh("gosu app true")));
}

#[test]
fn apt_lists_and_cache_mounts() {
    let (i, s) = run("FROM debian\nRUN apt-get update && apt-get install -y x\n");
    assert!(dl3009(&s, &i));
    let (i, s) = run("FROM debian\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n");
    assert!(!dl3009(&s, &i));
    let (i, s) = run("FROM debian\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y x\n");
    assert!(!dl3009(&s, &i));
    let (i, s) = run("FROM alpine\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=1\n");
    assert!(!dl3019(&s, &i));
    let (i, s) = run("FROM alpine\nRUN apk add curl=1\n");
    assert!(dl3019(&s, &i));
    let (i, s) = run("FROM python\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r r.txt\n");
    assert!(!dl3042(&s, "", &i));
    let (i, s) = run("FROM python\nRUN pip install -r r.txt\n");
    assert!(dl3042(&s, "pip install -r r.txt", &i));
    assert!(!dl3042(&s, "PIP_NO_CACHE_DIR=1 pip install -r r.txt", &i));
}

#[test]
fn language_package_pins() {
    assert!(dl3013(&sh("pip install flask")));
    assert!(!dl3013(&sh("pip install flask==2.0 'x>=1'")));
    assert!(!dl3013(&sh("pip install -r requirements.txt")));
    assert!(!dl3013(&sh("python -m pip install .")));
    assert!(dl3013(&sh("python3 -m pip install flask")));
    assert!(dl3016(&sh("npm install express")));
    assert!(!dl3016(&sh("npm install express@4 @types/node@20")));
    assert!(!dl3016(&sh("npm install")));
    assert!(dl3018(&sh("apk add --no-cache curl")));
    assert!(!dl3018(&sh("apk add --no-cache --virtual .deps curl=8.0")));
    assert!(dl3028(&sh("gem install rails")));
    assert!(!dl3028(&sh("gem install rails:7")));
    assert!(!dl3028(&sh("gem install rails -v 7")));
}

#[test]
fn rpm_family() {
    assert!(dl3030(&sh("yum install httpd")));
    assert!(!dl3030(&sh("yum install -y httpd")));
    assert!(dl3032(&sh("yum install -y httpd")));
    assert!(!dl3032(&sh("yum install -y httpd && yum clean all")));
    assert!(dl3034(&sh("zypper install x")));
    assert!(!dl3034(&sh("zypper -n install x")));
    assert!(dl3035(&sh("zypper dup")));
    assert!(dl3037(&sh("zypper install -y x")));
    assert!(!dl3037(&sh("zypper install -y x=1")));
    assert!(dl3038(&sh("dnf install x")));
    assert!(!dl3038(&sh("microdnf install -y x")));
    let (i, s) = run("FROM fedora\nRUN dnf install -y x\n");
    assert!(dl3040(&s, &i));
    let (i, s) = run("FROM fedora\nRUN dnf install -y x && dnf clean all\n");
    assert!(!dl3040(&s, &i));
    let (i, s) = run("FROM suse\nRUN zypper install -y x\n");
    assert!(dl3036(&s, &i));
}

#[test]
fn misc_rules() {
    assert!(dl3001(&sh("service nginx start")));
    assert!(!dl3001(&sh("nginx -t")));
    assert!(dl3003(&sh("cd /app && make")));
    assert!(dl3046(&sh("useradd -u 1000000 app")));
    assert!(!dl3046(&sh("useradd -l -u 1000000 app")));
    assert!(!dl3046(&sh("useradd -u 1000 app")));
    assert!(dl3047(&sh("wget http://x")));
    assert!(!dl3047(&sh("wget -q http://x")));
    assert!(!dl3047(&sh("wget --progress=dot:giga http://x")));
    assert_eq!(dl4001_tools(&sh("curl x | sh && wget y")), (true, true));
    let pipefail = ShellKind::new(vec!["/bin/bash".into(), "-o".into(), "pipefail".into(), "-c".into()]);
    assert!(dl4006(&sh("curl x | sh"), &ShellKind::default()));
    assert!(!dl4006(&sh("curl x | sh"), &pipefail));
    assert!(!dl4006(&sh("curl x && sh"), &ShellKind::default()));
}

mod multi_stage {
    use dockstage_model::shell::ships::*;

    fn df(s: &str) -> dockstage_syntax::Dockerfile {
        dockstage_syntax::parse(s).unwrap()
    }

    const SINGLE: &str = "FROM python:3.12\nENV API_TOKEN=abc\nCOPY .env /app/.env\nRUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev\nRUN pip install -r requirements.txt\n";
    const MULTI: &str = "FROM python:3.12 AS build\nRUN apt-get update && apt-get install -y build-essential libpq-dev\nRUN pip install -r requirements.txt\nFROM python:3.12-slim AS base\nRUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*\nFROM base\nCOPY --from=build /venv /venv\nRUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn==22\n";

    #[test]
    fn single_stage_is_flagged() {
        let d = df(SINGLE);
        assert_eq!(toolchains_in_shipping_stage(&d, None).len(), 1);
        assert!(toolchains_in_shipping_stage(&d, None)[0].message.contains("build-essential, libpq-dev"));
        assert_eq!(caches_in_shipping_stage(&d, None).len(), 2);
        assert_eq!(secrets_in_shipping_stage(&d, None).len(), 2);
    }

    #[test]
    fn multi_stage_is_clean_and_inherits_through_from() {
        let d = df(MULTI);
        assert_eq!(shipping_stages(&d, None), [false, true, true]);
        assert!(toolchains_in_shipping_stage(&d, None).is_empty());
        assert!(caches_in_shipping_stage(&d, None).is_empty());
        assert!(secrets_in_shipping_stage(&d, None).is_empty());
        // Targeting the builder ships the builder.
        assert_eq!(toolchains_in_shipping_stage(&d, Some("build")).len(), 1);
    }
}
