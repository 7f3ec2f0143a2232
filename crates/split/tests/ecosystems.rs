//! One rewrite per pattern each ecosystem module documents, as a snapshot of the whole output
//! (review the comments too: they are the user's explanation), plus every refusal with its
//! line and message. Each rewrite must also parse, end in a stage on the expected base, and have
//! no DS001/DS008/DS009/DS011 finding.

use dockstage_split::{split, SplitOptions};

fn rewrite(source: &str, opts: &SplitOptions) -> String {
    let out = split(source, opts).unwrap_or_else(|r| panic!("refused at {r}\n{source}"));
    let parsed = dockstage_syntax::parse(&out.dockerfile).unwrap_or_else(|e| panic!("rewrite does not parse: {e:?}\n{}", out.dockerfile));
    let froms: Vec<_> = parsed.instructions.iter().filter(|i| i.kind == dockstage_syntax::Keyword::From).collect();
    assert_eq!(froms.len(), 2, "{}", out.dockerfile);
    assert_eq!(froms[1].args.first(), Some(&out.runtime_base), "{}", out.dockerfile);
    let report = dockstage_lint::lint_source("rewrite", &out.dockerfile, &dockstage_lint::Config::default());
    let bad: Vec<_> = report.findings.iter().filter(|f| matches!(f.rule, "DS001" | "DS008" | "DS009" | "DS011")).map(|f| format!("{} line {}: {}", f.rule, f.line, f.message)).collect();
    assert!(bad.is_empty(), "the multi-stage rules still fire: {bad:#?}\n{}", out.dockerfile);
    out.dockerfile
}

fn ok(source: &str) -> String {
    rewrite(source, &SplitOptions::default())
}

macro_rules! case {
    ($name:ident, $source:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(ok($source));
        }
    };
}

// ---- Python

case!(
    python_requirements_with_apt_headers,
    "FROM python:3.11
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends build-essential libpq-dev git curl && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV APP_ENV=production
EXPOSE 8000
HEALTHCHECK CMD python -c 'import urllib.request; urllib.request.urlopen(\"http://127.0.0.1:8000/health\")'
CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]
"
);

case!(
    python_user_install_as_app_user,
    "FROM python:3.12
RUN useradd -m app
WORKDIR /home/app/src
USER app
COPY --chown=app:app requirements.txt .
RUN pip install --user -r requirements.txt
COPY --chown=app:app . .
CMD [\"python\", \"main.py\"]
"
);

case!(
    python_venv,
    "FROM python:3.11-bookworm
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /srv
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
VOLUME /srv/data
STOPSIGNAL SIGINT
CMD [\"python\", \"-m\", \"srv\"]
"
);

case!(
    python_wheels,
    "FROM python:3.10
WORKDIR /app
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels -r requirements.txt \\
 && pip install --no-index --find-links=/wheels -r requirements.txt
COPY . .
CMD [\"python\", \"app.py\"]
"
);

case!(
    python_poetry_export,
    "FROM python:3.11
RUN pip install poetry poetry-plugin-export
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry export -f requirements.txt -o requirements.txt --without-hashes \\
 && pip install -r requirements.txt
COPY src ./src
LABEL org.opencontainers.image.source=https://example.com/app
CMD [\"python\", \"-m\", \"src\"]
"
);

case!(
    python_apt_installed_on_debian,
    "FROM debian:bookworm
RUN apt-get update && apt-get install -y python3 python3-pip python3-dev gcc libxml2-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/app
COPY . .
RUN pip3 install --break-system-packages -r requirements.txt
USER nobody
ENTRYPOINT [\"python3\", \"run.py\"]
"
);

case!(
    python_alpine_apk,
    "FROM python:3.11-alpine
RUN apk add --no-cache build-base postgresql-dev libffi-dev curl
WORKDIR /app
ENV VIRTUAL_ENV=/app/.venv
RUN python -m venv $VIRTUAL_ENV
ENV PATH=\"$VIRTUAL_ENV/bin:$PATH\"
COPY . .
RUN pip install --upgrade pip && pip install -r requirements.txt
HEALTHCHECK CMD curl -f http://localhost:5000/ || exit 1
CMD [\"python\", \"app.py\"]
"
);

case!(
    python_centos_yum,
    "FROM centos:7
RUN yum install -y epel-release gcc python3-devel python3-pip libxml2-devel openssl-devel && yum clean all
WORKDIR /srv/app
COPY . .
RUN pip3 install -r requirements.txt
CMD [\"python3\", \"serve.py\"]
"
);

// ---- Node

case!(
    node_npm_build,
    "FROM node:18
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
ENV PORT=3000
EXPOSE 3000
CMD [\"node\",\"dist/server.js\"]
"
);

case!(
    node_yarn,
    "FROM node:20-bookworm
WORKDIR /usr/src/app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
USER node
CMD [\"node\", \"build/index.js\"]
"
);

case!(
    node_pnpm_with_global_tool,
    "FROM node:20
RUN npm install -g pnpm
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile && pnpm run build
CMD [\"node\", \"dist/main.js\"]
"
);

case!(
    node_production_only_install,
    "FROM node:14
ENV NODE_ENV=production
WORKDIR /app
COPY package*.json ./
RUN npm install
COPY . .
CMD npm start
"
);

// ---- Go

case!(
    go_static_into_scratch,
    "FROM golang:1.19
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN go build -o /usr/local/bin/app ./cmd/app
CMD [\"app\"]
"
);

case!(
    go_cgo_into_debian_slim,
    "FROM golang:1.22-bullseye
RUN apt-get update && apt-get install -y librdkafka-dev libsqlite3-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /go/src/svc
COPY . .
RUN CGO_ENABLED=1 go build -o svc .
EXPOSE 9090
ENTRYPOINT [\"./svc\"]
"
);

case!(
    go_install_named_user_tzdata,
    "FROM golang:1.21
ENV TZ=Europe/Paris
RUN useradd -u 10001 svc
WORKDIR /build
COPY . .
RUN go install ./cmd/worker
USER svc
ENTRYPOINT worker --config /etc/worker.yaml
"
);

// ---- Rust

case!(
    rust_release_binary,
    "FROM rust:1.75
WORKDIR /usr/src/app
RUN apt-get update && apt-get install -y libssl-dev pkg-config && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cargo build --release
ENV RUST_LOG=info
EXPOSE 8000
CMD [\"./target/release/server\"]
"
);

case!(
    rust_cargo_install,
    "FROM rust:1.80-bookworm
WORKDIR /src
COPY . .
RUN cargo install --path .
CMD [\"mytool\", \"--serve\"]
"
);

// ---- Java

case!(
    java_maven,
    "FROM maven:3.9-eclipse-temurin-17
WORKDIR /app
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests
EXPOSE 8080
ENTRYPOINT [\"java\", \"-jar\", \"target/app.jar\"]
"
);

case!(
    java_gradle,
    "FROM gradle:8.5-jdk21
WORKDIR /home/gradle/project
COPY . .
RUN gradle bootJar --no-daemon
CMD java -Xmx512m -jar build/libs/service.jar
"
);

// ---- Options

#[test]
fn bases_can_be_overridden() {
    let opts = SplitOptions { runtime_base: Some("gcr.io/distroless/static-debian12".into()), builder_base: Some("golang:1.22".into()), context: None };
    let out = rewrite("FROM golang:1.19\nWORKDIR /src\nCOPY . .\nRUN go build -o /app ./\nCMD [\"/app\"]\n", &opts);
    assert!(out.contains("FROM golang:1.22 AS builder"), "{out}");
    assert!(out.contains("FROM gcr.io/distroless/static-debian12 AS runtime"), "{out}");
}

#[test]
fn go_context_decides_certificates_and_cgo() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.go"), "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(1) }\n").unwrap();
    let src = "FROM golang:1.19\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n";
    let opts = SplitOptions { context: Some(dir.path().to_path_buf()), ..Default::default() };
    let out = rewrite(src, &opts);
    assert!(!out.contains("ca-certificates"), "no TLS in the sources, no certificates: {out}");
    std::fs::write(dir.path().join("net.go"), "package main\n\nimport \"net/http\"\n\nvar _ = http.Get\n").unwrap();
    assert!(rewrite(src, &opts).contains("COPY --from=builder /etc/ssl/certs/ca-certificates.crt"));
    std::fs::write(dir.path().join("c.go"), "package main\n\n// #include <stdio.h>\nimport \"C\"\n").unwrap();
    let out = rewrite(src, &opts);
    assert!(out.contains("FROM debian:bookworm-slim AS runtime") && !out.contains("CGO_ENABLED=0"), "{out}");
}

// ---- Refusals: the line, the column and what split cannot move.

#[test]
fn refusals() {
    let cases: &[(&str, &str)] = &[
        ("multi-stage", "FROM python:3.11 AS a\nRUN pip install x\nFROM python:3.11-slim\n"),
        ("no FROM", "# nothing\n"),
        ("scratch", "FROM scratch\nCOPY x /x\n"),
        ("parse error", "FROM python:3.11\nRUN <<EOF\npip install x\n"),
        ("ONBUILD", "FROM python:3.11\nONBUILD RUN pip install x\n"),
        ("zypper", "FROM opensuse/leap:15\nRUN zypper install -y python3-pip gcc\nRUN pip install x\n"),
        ("two OS package managers", "FROM python:3.11\nRUN apt-get install -y gcc\nRUN apk add musl-dev\nRUN pip install x\n"),
        ("download outside the app", "FROM python:3.11\nWORKDIR /app\nRUN wget -O /usr/local/bin/gosu https://example.com/gosu\nRUN pip install x\n"),
        ("make install", "FROM debian:bookworm\nRUN ./configure && make && make install\nRUN pip install x\n"),
        ("nothing known", "FROM nginx:1.25\nCOPY site /usr/share/nginx/html/site\n"),
        ("two ecosystems", "FROM node:20\nWORKDIR /app\nRUN npm ci\nRUN pip install mkdocs\n"),
        ("poetry install", "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install poetry && poetry install --no-root\n"),
        ("pipenv install", "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install pipenv && pipenv install --system --deploy\n"),
        ("uv sync", "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n"),
        ("pip --target", "FROM python:3.11\nWORKDIR /app\nRUN pip install --target=/deps -r requirements.txt\n"),
        ("setup.py install", "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN python setup.py install\n"),
        ("pip outside the venv", "FROM python:3.11\nRUN python -m venv /venv\nWORKDIR /app\nRUN pip install flask\n"),
        ("conda", "FROM continuumio/miniconda3\nRUN conda install numpy\nRUN pip install x\n"),
        ("copy into /", "FROM python:3.11\nCOPY . /\nRUN pip install -r requirements.txt\n"),
        ("copy into a system tree", "FROM python:3.11\nWORKDIR /usr/local\nRUN pip install x\n"),
        ("global npm package run", "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install -g pm2 && npm ci\nCMD [\"pm2-runtime\", \"pm2\", \"app.js\"]\n"),
        ("go build unnamed", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build ./...\n"),
        ("go -o directory", "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/ ./cmd/...\n"),
        ("cargo run", "FROM rust:1.75\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD [\"cargo\", \"run\", \"--release\"]\n"),
        ("cargo unnamed", "FROM rust:1.75\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD [\"sh\", \"start.sh\"]\n"),
        ("java not -jar", "FROM maven:3.9-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\nRUN mvn package\nCMD [\"mvn\", \"exec:java\"]\n"),
        ("java glob", "FROM maven:3.9-eclipse-temurin-17\nWORKDIR /app\nCOPY . .\nRUN mvn package\nCMD java -jar target/*.jar\n"),
        ("java version unknown", "FROM maven:3\nWORKDIR /app\nCOPY . .\nRUN mvn package\nCMD [\"java\", \"-jar\", \"target/app.jar\"]\n"),
    ];
    let mut report = String::new();
    for (name, source) in cases {
        match split(source, &SplitOptions::default()) {
            Ok(out) => panic!("{name}: accepted, should be refused:\n{}", out.dockerfile),
            Err(r) => {
                assert!(r.line >= 1 && r.column >= 1 && !r.message.is_empty(), "{name}: {r:?}");
                report.push_str(&format!("{name}: {r}\n"));
            }
        }
    }
    insta::assert_snapshot!(report);
}

#[test]
fn scratch_shell_cmd_is_fine_on_a_runtime_base_with_a_shell() {
    // The same file that scratch refuses (shell redirection in CMD) goes to debian slim by default.
    let out = ok("FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD /app > /tmp/log 2>&1\n");
    assert!(out.contains("FROM debian:bookworm-slim AS runtime"), "{out}");
}
