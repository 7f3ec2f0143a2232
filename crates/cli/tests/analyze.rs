//! `dockstage analyze` and `dockstage graph` run as a user runs them, on the real examples.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Runs the binary from the workspace root with a fixed width and no colour, so output is
/// reproducible.
fn dockstage(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dockstage"))
        .args(args)
        .current_dir(workspace())
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout_ok(args: &[&str]) -> String {
    let out = dockstage(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

const EXAMPLES: [&str; 8] = [
    "examples/ml-service/Dockerfile",
    "examples/bert-classifier/naive/Dockerfile",
    "examples/bert-classifier/slim/Dockerfile",
    "examples/bert-classifier/multistage/Dockerfile",
    "examples/streamlit-app/Dockerfile",
    "examples/streamlit-app/Dockerfile.single",
    "examples/churn-api/docker/Dockerfile.api",
    "examples/churn-api/docker/Dockerfile.train",
];

fn snap_name(file: &str, format: &str) -> String {
    format!("{}__{format}", file.trim_start_matches("examples/").replace(['/', '.'], "_"))
}

#[test]
fn snapshots_of_every_example_and_format() {
    for file in EXAMPLES {
        for (fmt, args) in [
            ("text", vec!["analyze", file]),
            ("ascii", vec!["analyze", "--ascii", file]),
            ("markdown", vec!["analyze", "--format", "markdown", file]),
            ("json", vec!["analyze", "--format", "json", file]),
            ("graph_ascii", vec!["graph", file]),
            ("graph_mermaid", vec!["graph", "--format", "mermaid", file]),
            ("graph_dot", vec!["graph", "--format", "dot", file]),
        ] {
            insta::assert_snapshot!(snap_name(file, fmt), stdout_ok(&args));
        }
    }
}

#[test]
fn ml_service_scores_seven_of_seven_with_every_section() {
    let out = stdout_ok(&["analyze", "examples/ml-service/Dockerfile"]);
    assert!(out.contains("Score: 7/7 checks passed"), "{out}");
    for section in ["Stages and flow", "Best practices", "Image size", "Build and run", "Takeaways"] {
        assert!(out.contains(section), "{section}");
    }
    assert!(out.contains("COPY --from=builder /root/.local -> /home/app/.local (line 26)"));
    assert!(out.contains("docker run --rm -p 8000:8000 ml-service"));
    assert!(out.contains("curl -fsS http://localhost:8000/health"));
    assert!(out.contains("docker build --target builder -t ml-service:builder examples/ml-service"));
    // Never an invented size.
    assert!(!out.contains(" MB") && !out.contains('~'), "{out}");
}

#[test]
fn boxes_fit_the_terminal_and_their_contents() {
    for width in [40usize, 60, 100] {
        for file in EXAMPLES {
            let out = Command::new(env!("CARGO_BIN_EXE_dockstage"))
                .args(["analyze", file])
                .current_dir(workspace())
                .env("COLUMNS", width.to_string())
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            for line in text.lines() {
                // Shell commands never split a word, so one longer than the line may overflow.
                let one_word = line.trim().trim_end_matches(" \\").split(' ').count() == 1;
                assert!(line.chars().count() <= width || one_word, "{file} at {width}: {line:?}");
            }
            // Each box: top, sides and bottom of one width, and no wider than its widest row.
            let lines: Vec<&str> = text.lines().collect();
            for (i, l) in lines.iter().enumerate() {
                if let Some(top) = l.trim_start().strip_prefix('┌') {
                    let w = l.chars().count();
                    let mut j = i + 1;
                    let mut widest = 0;
                    while !lines[j].trim_start().starts_with('└') {
                        assert_eq!(lines[j].chars().count(), w, "{file} at {width}: {:?}", lines[j]);
                        let inner = lines[j].trim_start().trim_start_matches('│').trim_end_matches('│');
                        widest = widest.max(inner.trim().chars().count());
                        j += 1;
                    }
                    assert_eq!(lines[j].chars().count(), w);
                    // top is "───...┐": inner width + 2 padding + corner.
                    assert_eq!(top.chars().count(), widest + 3, "{file} at {width}: box wider than its contents");
                }
            }
        }
    }
}

#[test]
fn ascii_output_is_plain_ascii_and_no_color_means_no_escapes() {
    for file in EXAMPLES {
        let out = stdout_ok(&["analyze", "--ascii", file]);
        assert!(out.is_ascii(), "{file}: {}", out.chars().filter(|c| !c.is_ascii()).collect::<String>());
        let out = stdout_ok(&["analyze", file]);
        assert!(!out.contains('\x1b'));
    }
}

#[test]
fn dot_output_renders_with_graphviz() {
    assert!(
        Command::new("dot").arg("-V").output().is_ok(),
        "graphviz `dot` is not installed (scripts/install-test-deps.sh installs it)"
    );
    let dir = std::env::temp_dir().join(format!("dockstage-dot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let extra = dir.join("Dockerfile");
    // Skipped stages, an external image, a mount and quotes in a label.
    std::fs::write(
        &extra,
        "FROM alpine AS a\nRUN echo \"hi\"\nFROM alpine AS unused\nFROM a AS b\nCOPY --from=nginx:1.27 /etc/nginx \"/x y\"\n\
         RUN --mount=type=bind,from=a,source=/,target=/a true\nFROM scratch\nCOPY --from=b / /\n",
    )
    .unwrap();
    let extra = extra.to_string_lossy().to_string();
    for file in EXAMPLES.into_iter().chain([extra.as_str()]) {
        let dot_src = stdout_ok(&["graph", "--format", "dot", file]);
        let svg_path = dir.join("out.svg");
        let mut child = Command::new("dot")
            .args(["-Tsvg", "-o", svg_path.to_str().unwrap()])
            .stdin(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(dot_src.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success() && out.stderr.is_empty(), "{file}: {}\n{dot_src}", String::from_utf8_lossy(&out.stderr));
        let svg = std::fs::read_to_string(&svg_path).unwrap();
        assert!(svg.contains("<svg"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A small validator for the subset of JSON Schema that docs/analyze-schema.json uses:
/// type (with unions), enum, required, properties, additionalProperties: false, items,
/// minimum and local $ref.
fn validate(root: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("local ref");
        return validate(root, &root["$defs"][name], v, at, errors);
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().map(|x| x.as_str().unwrap()).collect(),
            _ => panic!("bad type"),
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_u64() || v.is_i64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            other => panic!("unsupported type {other}"),
        });
        if !ok {
            errors.push(format!("{at}: expected {types:?}, got {v}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{at}: {v} not in {e:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_i64), v.as_i64()) {
        if n < min {
            errors.push(format!("{at}: {n} < {min}"));
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for req in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !obj.contains_key(req.as_str().unwrap()) {
                errors.push(format!("{at}: missing {req}"));
            }
        }
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(root, s, val, &format!("{at}.{k}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{at}: unexpected key {k}"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            validate(root, items, x, &format!("{at}[{i}]"), errors);
        }
    }
}

#[test]
fn json_output_matches_the_documented_schema() {
    let schema_text = std::fs::read_to_string(workspace().join("docs/analyze-schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&schema_text).unwrap();
    // The validator must catch a wrong document, or passing means nothing.
    let mut errors = Vec::new();
    let wrong = serde_json::json!({"schema_version": 1, "stages": [{"index": -1}], "extra": true});
    validate(&schema, &schema, &wrong, "$", &mut errors);
    assert!(errors.iter().any(|e| e.contains("missing \"file\"")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("unexpected key extra")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("$.stages[0].index: -1 < 0")), "{errors:?}");
    for file in EXAMPLES {
        let multi = !(file.contains("naive") || file.contains("slim/") || file.ends_with(".single"));
        for target in [None, Some("builder")] {
            let mut args = vec!["analyze", "--format", "json", file];
            match target {
                Some(t) if multi => args.extend(["--target", t]),
                Some(_) => continue,
                None => {}
            }
            let v: Value = serde_json::from_str(&stdout_ok(&args)).unwrap();
            let mut errors = Vec::new();
            validate(&schema, &schema, &v, "$", &mut errors);
            assert!(errors.is_empty(), "{file}: {errors:#?}");
        }
    }
}

#[test]
fn target_marks_unneeded_stages_skipped() {
    let json = stdout_ok(&["analyze", "--format", "json", "--target", "BUILDER", "examples/ml-service/Dockerfile"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["target"], "builder");
    assert_eq!(v["stages"][1]["needed"], false);
    assert_eq!(v["levels"], serde_json::json!([["builder"]]));
    let text = stdout_ok(&["analyze", "--target", "builder", "examples/ml-service/Dockerfile"]);
    assert!(text.contains("Stage 1: runtime (skipped: builder does not need it)"), "{text}");
    assert!(text.contains("docker build --target builder -t ml-service examples/ml-service"), "{text}");
}

/// Runs a command expected to fail; `file` is written to a temporary directory and appended.
fn fails_with(args: &[&str], file: Option<(&str, &str)>, expect: &str) {
    let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let dir = std::env::temp_dir().join(format!("dockstage-err-{}-{}", std::process::id(), expect.len()));
    if let Some((name, content)) = file {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), content).unwrap();
        args.push(dir.join(name).to_string_lossy().to_string());
    }
    let out = Command::new(env!("CARGO_BIN_EXE_dockstage")).args(&args).current_dir(workspace()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "half-written output: {}", String::from_utf8_lossy(&out.stdout));
    assert!(err.contains(expect), "{args:?}: {err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn clear_errors_for_bad_input() {
    fails_with(&["analyze", "no/such/Dockerfile"], None, "no/such/Dockerfile: No such file");
    fails_with(&["analyze", "examples"], None, "is a directory");
    fails_with(
        &["analyze"],
        Some(("README.md", "# Title\n\nSome prose here.\n")),
        "README.md:3:1: unknown instruction `Some`: this does not look like a Dockerfile",
    );
    fails_with(&["analyze"], Some(("empty", "\n")), "empty file: not a Dockerfile");
    fails_with(
        &["analyze", "--target", "nope", "examples/ml-service/Dockerfile"],
        None,
        "target stage \"nope\" could not be found (stages: builder, runtime)",
    );
    fails_with(
        &["graph"],
        Some(("Dockerfile", "FROM alpine AS a\nCOPY --from=Bad_Name /x /y\n")),
        "Dockerfile:2:1: --from=Bad_Name names no stage and is not a valid image reference",
    );
    fails_with(
        &["analyze"],
        Some(("Dockerfile", "FROM alpine AS a\nCOPY --from=b /x /x\nFROM alpine AS b\nCOPY --from=a /y /y\n")),
        "circular dependency detected on stage",
    );
}

/// analyze's findings are the DS lint rules' findings for the same file and target.
#[test]
fn analyze_findings_are_the_ds_rules_for_the_target() {
    let rules = |args: &[&str]| -> Vec<(String, u64)> {
        let v: Value = serde_json::from_str(&stdout_ok(args)).unwrap();
        v["findings"].as_array().unwrap().iter().map(|f| (f["rule"].as_str().unwrap().to_string(), f["line"].as_u64().unwrap())).collect()
    };
    let single = rules(&["analyze", "--format", "json", "examples/streamlit-app/Dockerfile.single"]);
    assert!(single.contains(&("DS008".into(), 6)) && single.contains(&("DS009".into(), 6)), "{single:?}");
    let lint = stdout_ok(&["lint", "--no-fail", "examples/streamlit-app/Dockerfile.single"]);
    for (rule, line) in &single {
        assert!(lint.contains(&format!(":{line}:1 {rule} ")), "{rule} at {line} missing from lint:\n{lint}");
    }
    // The multi-stage file is clean of toolchains, until its builder is the target.
    let multi = rules(&["analyze", "--format", "json", "examples/streamlit-app/Dockerfile"]);
    assert!(!multi.iter().any(|(r, _)| r == "DS008"), "{multi:?}");
    let builder = rules(&["analyze", "--format", "json", "--target", "builder", "examples/streamlit-app/Dockerfile"]);
    assert!(builder.iter().any(|(r, _)| r == "DS008"), "{builder:?}");
}

/// The streamlit example's multi- and single-stage images, built once per machine by
/// scripts/make-test-images.sh (as the image crate's tests do).
fn example_archives() -> PathBuf {
    let out = Command::new("bash").arg(workspace().join("scripts/make-test-images.sh")).args(["examples", "streamlit-app"]).output().unwrap();
    assert!(out.status.success(), "make-test-images.sh: {}", String::from_utf8_lossy(&out.stderr));
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// With --image and --compare the size section is measured: the saving is the one `dockstage
/// diff` computes (from the library, on the same archives), layers name real lines of the file.
#[test]
fn measured_size_section_matches_the_image_library() {
    let dir = example_archives();
    let multi = dir.join("example-streamlit-app.docker.tar").display().to_string();
    let single = dir.join("example-streamlit-app-single.docker.tar").display().to_string();
    let file = "examples/streamlit-app/Dockerfile";
    let args = ["analyze", "--format", "json", file, "--image", &multi, "--compare", &single];
    let v: Value = serde_json::from_str(&stdout_ok(&args)).unwrap();

    let opts = dockstage_image::AnalyzeOptions { top: 10 };
    let read = |p: &str| dockstage_image::analyze_source(p, &Default::default(), &opts).unwrap();
    let (a, ta) = read(&single);
    let (b, tb) = read(&multi);
    let d = dockstage_image::diff::diff(&a, &ta, &b, &tb, 10);
    let size = &v["size"];
    assert_eq!(size["image"]["total_bytes"], b.final_size_bytes);
    assert_eq!(size["image"]["wasted_bytes"], b.wasted_bytes);
    assert_eq!(size["compare"]["total_bytes"], a.final_size_bytes);
    assert_eq!(size["compare"]["saving_bytes"], d.saving_bytes);
    assert!(d.saving_bytes > 0, "the multi-stage build must be smaller: {}", d.saving_bytes);
    assert!((size["compare"]["saving_percent"].as_f64().unwrap() - d.saving_percent).abs() < 1e-9);
    assert_eq!(size["compare"]["only_in_compared"]["bytes"], d.only_in_a.bytes);
    let dirs: Vec<&str> = size["compare"]["only_in_compared"]["top_dirs"].as_array().unwrap().iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert!(dirs.contains(&"/usr/lib/gcc"), "{dirs:?}");
    assert!(size["image"]["source"].as_str().unwrap().starts_with("measured from "));

    // Layers, largest first; the mapped ones point at lines holding that instruction.
    let source = std::fs::read_to_string(workspace().join(file)).unwrap();
    let lines: Vec<&str> = source.lines().collect();
    let layers = size["image"]["layers"].as_array().unwrap();
    assert_eq!(layers.len(), b.layers.len());
    let bytes: Vec<u64> = layers.iter().map(|l| l["bytes"].as_u64().unwrap()).collect();
    assert!(bytes.windows(2).all(|w| w[0] >= w[1]), "{bytes:?}");
    let mapped: Vec<(u64, &str)> = layers.iter().filter_map(|l| Some((l["line"].as_u64()?, l["instruction"].as_str().unwrap()))).collect();
    assert!(mapped.len() >= 3, "{mapped:?}");
    for (line, ins) in &mapped {
        let keyword = ins.split(' ').next().unwrap();
        assert!(lines[*line as usize - 1].starts_with(keyword), "line {line} is not {ins:?}: {}", lines[*line as usize - 1]);
    }
    assert!(mapped.iter().any(|(l, i)| *l == 38 && i.starts_with("COPY --from=builder")), "{mapped:?}");

    let schema: Value = serde_json::from_str(&std::fs::read_to_string(workspace().join("docs/analyze-schema.json")).unwrap()).unwrap();
    let mut errors = Vec::new();
    validate(&schema, &schema, &v, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");

    // Text and markdown carry the same saving, labelled with its source.
    let text = stdout_ok(&["analyze", file, "--image", &multi, "--compare", &single]);
    assert!(text.contains(&format!("{} bytes", d.saving_bytes)), "{text}");
    let size_section: Vec<&str> = text.lines().skip_while(|l| *l != "Image size").take_while(|l| !l.starts_with("  # ")).collect();
    // Where the figures come from is said once, then a side-by-side table.
    assert!(!text.contains("measured from"), "{text}");
    assert!(size_section.iter().any(|l| l.trim() == "this build  example-streamlit-app.docker.tar"), "{text}");
    let row = |label: &str| size_section.iter().find(|l| l.trim_start().starts_with(&format!("{label}  "))).map(|l| l.split_whitespace().collect::<Vec<_>>()).unwrap_or_else(|| panic!("no {label} row: {text}"));
    assert_eq!(row("Image")[1..], ["this", "build", "compared"]);
    assert_eq!(row("Total")[1..], [dockstage_report::human_bytes(b.final_size_bytes).as_str(), dockstage_report::human_bytes(a.final_size_bytes).as_str()].join(" ").split(' ').collect::<Vec<_>>()[..]);
    assert_eq!(row("Files")[1..], [b.final_files.to_string(), a.final_files.to_string()]);
    for label in ["Wasted", "Efficiency", "Compilers", "Headers", "Static libraries", "Apt lists", "Caches"] {
        row(label);
    }
    // Layers in build order, the base first; no line of the section starts with punctuation.
    let layer_lines: Vec<&&str> = size_section.iter().skip_while(|l| !l.starts_with("  Layers of this build")).skip(1).take_while(|l| l.starts_with("     ")).collect();
    assert!(layer_lines[0].contains("base image"), "{layer_lines:?}");
    let lines_in_order: Vec<usize> = layer_lines.iter().filter_map(|l| l.split("line ").nth(1)?.split_whitespace().next()?.parse().ok()).collect();
    assert!(lines_in_order.windows(2).all(|w| w[0] < w[1]) && lines_in_order.contains(&38), "{layer_lines:?}");
    for l in &size_section {
        assert!(!l.trim_start().starts_with(|c: char| ";,.:)".contains(c)), "punctuation wrapped onto its own line: {l:?}\n{text}");
        assert!(l.chars().count() <= 100 || !l.trim().contains(' '), "line wider than the terminal: {l:?}");
    }
    let md = stdout_ok(&["analyze", "--format", "markdown", file, "--image", &multi, "--compare", &single]);
    assert!(md.contains(&format!("{} bytes", d.saving_bytes)) && md.contains("| 38 |"), "{md}");
}

#[test]
fn unreadable_image_is_a_clear_error_with_nothing_on_stdout() {
    fails_with(&["analyze", "--image", "no/such/image.tar", "examples/streamlit-app/Dockerfile"], None, "cannot read image no/such/image.tar");
    fails_with(&["analyze", "--image", "examples/streamlit-app/Dockerfile", "examples/streamlit-app/Dockerfile"], None, "cannot read image examples/streamlit-app/Dockerfile");
}
