//! `dockstage analyze`: stages, flow, best practices, size and commands for one Dockerfile.

use std::process::ExitCode;

use crate::cmd_inspect::ProgressBar;
use crate::load::{load, terminal_width, use_color};
use dockstage_image::analysis::FinalTree;
use dockstage_image::{dockerfile_map, AnalyzeOptions, ReadOptions};
use dockstage_report::text::TextOptions;
use dockstage_report::{LeakPair, LeakedTools, MeasuredImage, MeasuredLayer, OnlyIn, PathBytes, SizeComparison};

/// How many directories and leftover places the size section lists.
const TOP: usize = 10;

#[derive(clap::Args)]
pub struct Args {
    /// Stage to analyze as the final image (default: the last stage).
    #[arg(long)]
    target: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Plain ASCII instead of box drawing.
    #[arg(long)]
    ascii: bool,
    /// The built image of the target (docker-archive, oci-archive, oci:DIR or an engine name):
    /// the size section then shows measured figures, layers mapped to this file's lines.
    #[arg(long, value_name = "IMAGE")]
    image: Option<String>,
    /// Another build of the same app (e.g. the single-stage one) to measure the saving against.
    #[arg(long, value_name = "IMAGE", requires = "image")]
    compare: Option<String>,
    /// The Dockerfile, a compose or bake file (or a directory holding one); `-` reads standard input.
    file: Option<String>,
    #[command(flatten)]
    compose: crate::project::ComposeFiles,
    #[command(flatten)]
    registry: crate::registry_args::RegistryArgs,
    #[command(flatten)]
    out: crate::output::OutputArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
    /// One self-contained page (what `dockstage report` writes).
    Html,
}

pub fn run(args: Args) -> Result<ExitCode, Box<dyn std::error::Error>> {
    if let Some(files) = crate::project::chosen(args.file.as_deref(), &args.compose)? {
        let file = files[0].clone();
        if args.image.is_some() || args.target.is_some() {
            return Err(format!("{}: --image and --target apply to one Dockerfile; run analyze on a service's Dockerfile", file.display()).into());
        }
        if matches!(args.format, Format::Markdown | Format::Html) {
            return Err(format!("{}: a compose or bake file is analysed as text or json; run analyze on a service's Dockerfile for markdown or html", file.display()).into());
        }
        let project = crate::project::load(&files)?;
        let out = crate::project::analyze_text(&project, matches!(args.format, Format::Json))?;
        args.out.emit(out.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let r = build(args.file.as_deref().unwrap_or("-"), args.target.as_deref(), args.image.as_deref(), args.compare.as_deref(), &args.registry)?;
    let out = match args.format {
        Format::Text => dockstage_report::text::render(&r.analysis, &TextOptions { width: terminal_width(), ascii: args.ascii, color: use_color(args.out.to_file()) }),
        Format::Json => dockstage_report::render_json(&r.analysis),
        Format::Markdown => dockstage_report::markdown::render(&r.analysis),
        Format::Html => r.html(),
    };
    args.out.emit(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Everything `analyze` and `report` know about one Dockerfile and its images.
pub(crate) struct Report {
    pub analysis: dockstage_report::Analysis,
    pub source: String,
    pub findings: Vec<dockstage_lint::Finding>,
    pub image: Option<(dockstage_image::Analysis, dockstage_report::html::DirSizes)>,
    pub compare: Option<dockstage_report::html::DirSizes>,
}

impl Report {
    pub(crate) fn html(&self) -> String {
        let a = &self.analysis;
        let page = dockstage_report::html::Page {
            title: format!("dockstage report: {}", a.file),
            analysis: Some(a),
            source: Some(&self.source),
            findings: self.findings.iter().map(crate::html::finding).collect(),
            image: a.size.image.as_ref().map(|m| dockstage_report::html::ImageFacts {
                measured: m,
                fs: self.image.as_ref().map(|(_, fs)| fs),
                wasted: self.image.as_ref().map(|(i, _)| crate::html::wasted(i)).unwrap_or_default(),
            }),
            compare: a.size.compare.as_ref().map(|c| dockstage_report::html::CompareFacts { comparison: c, fs: self.compare.as_ref() }),
        };
        dockstage_report::html::render(&page)
    }
}

/// Analyses `file` (and reads its images) before anything is printed, so a bad input leaves
/// standard output empty.
pub(crate) fn build(file: &str, target: Option<&str>, image: Option<&str>, compare: Option<&str>, registry: &crate::registry_args::RegistryArgs) -> Result<Report, Box<dyn std::error::Error>> {
    let loaded = load(file, target)?;
    // The DS rules are the analysis's knowledge; run them for the same target, with the file's
    // directory known (for .dockerignore) unless it came from standard input.
    let options = dockstage_lint::LintOptions { path: (file != "-").then(|| std::path::Path::new(file)), target };
    let crate::load::Loaded { dockerfile, source, build, plan, setup } = loaded;
    let model = dockstage_lint::Model::new(build, plan);
    let findings = dockstage_lint::lint_model(&dockerfile, &source, &dockstage_lint::Config::default(), options, &model);
    let mut analysis = dockstage_report::analyze_model(&model, &setup, &findings);
    if model.build.stages.len() == 1 {
        if let Err(refusal) = dockstage_split::split_parsed(&source, &dockerfile, &Default::default()) {
            analysis.set_split_refusal(refusal.line, &refusal.message);
        }
    }
    let mut image_facts = None;
    let mut compare_fs = None;
    if let Some(spec) = image {
        let (mut image, image_tree) = read_image(spec, registry)?;
        // Map layers to the target's instructions: the stages after it are not in its image.
        let instructions: Vec<_> = dockerfile_map::instructions(&dockerfile)
            .into_iter()
            .filter(|i| i.stage <= model.plan.target)
            .collect();
        dockerfile_map::map_layers(&mut image, &instructions);
        let compared = match compare {
            Some(c) => {
                let (other, other_tree) = read_image(c, registry)?;
                compare_fs = Some(crate::html::dir_sizes(&other_tree));
                Some(comparison(&image, &image_tree, &other, &other_tree))
            }
            None => None,
        };
        analysis.set_measured(measured(&image), compared);
        let fs = crate::html::dir_sizes(&image_tree);
        image_facts = Some((image, fs));
    }
    Ok(Report { analysis, source, findings, image: image_facts, compare: compare_fs })
}

pub(crate) fn read_image(spec: &str, registry: &crate::registry_args::RegistryArgs) -> Result<(dockstage_image::Analysis, FinalTree), String> {
    let registry = registry.options();
    let bar = ProgressBar::for_source(spec);
    let progress = |n: u64| bar.inc(n);
    let result = dockstage_image::analyze_source(spec, &ReadOptions { progress: Some(&progress), registry: Some(&registry), ..Default::default() }, &AnalyzeOptions { top: TOP });
    bar.finish();
    result.map_err(|e| format!("cannot read image {spec}: {e}"))
}

fn source_of(a: &dockstage_image::Analysis) -> String {
    format!("measured from {}", a.image)
}

pub(crate) fn measured(a: &dockstage_image::Analysis) -> MeasuredImage {
    let mut layers: Vec<MeasuredLayer> = a
        .layers
        .iter()
        .map(|l| MeasuredLayer {
            index: l.index,
            bytes: l.size_bytes,
            line: l.instruction.as_ref().map(|i| i.line),
            instruction: l.instruction.as_ref().map(|i| i.text.clone()),
            created_by: l.created_by.clone(),
        })
        .collect();
    layers.sort_by(|x, y| y.bytes.cmp(&x.bytes).then(x.index.cmp(&y.index)));
    MeasuredImage {
        image: a.image.clone(),
        source: source_of(a),
        total_bytes: a.final_size_bytes,
        layers_bytes: a.size_bytes,
        files: a.final_files,
        efficiency: a.efficiency,
        wasted_bytes: a.wasted_bytes,
        layers,
        leaked: a
            .leakage
            .iter()
            .map(|l| LeakedTools {
                kind: l.kind.as_str().to_string(),
                bytes: l.bytes,
                files: l.files,
                advice: l.advice.to_string(),
                top: l.top.iter().map(|g| PathBytes { path: g.path.clone(), bytes: g.bytes }).collect(),
            })
            .collect(),
    }
}

/// The same numbers `dockstage diff COMPARED IMAGE` computes.
pub(crate) fn comparison(image: &dockstage_image::Analysis, image_tree: &FinalTree, other: &dockstage_image::Analysis, other_tree: &FinalTree) -> SizeComparison {
    let d = dockstage_image::diff::diff(other, other_tree, image, image_tree, TOP);
    let only = |o: &dockstage_image::diff::OnlyIn| OnlyIn {
        files: o.files,
        bytes: o.bytes,
        top_dirs: o.top_dirs.iter().map(|(p, b)| PathBytes { path: p.clone(), bytes: *b }).collect(),
    };
    SizeComparison {
        image: other.image.clone(),
        source: source_of(other),
        total_bytes: other.final_size_bytes,
        files: other.final_files,
        efficiency: other.efficiency,
        wasted_bytes: other.wasted_bytes,
        saving_bytes: d.saving_bytes,
        saving_percent: d.saving_percent,
        only_in_compared: only(&d.only_in_a),
        only_in_image: only(&d.only_in_b),
        leaked: d.leakage.iter().map(|l| LeakPair { kind: l.kind.as_str().to_string(), image_bytes: l.b_bytes, compared_bytes: l.a_bytes }).collect(),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    #[derive(clap::Parser)]
    struct Registry {
        #[command(flatten)]
        args: crate::registry_args::RegistryArgs,
    }

    #[test]
    fn the_stage_model_is_built_once() {
        // Lint's DS rules and the analysis read the same model: one build for the command.
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/bert-classifier/naive/Dockerfile");
        let registry = Registry::parse_from(["test"]).args;
        let before = dockstage_model::builds_on_this_thread();
        let report = super::build(file, None, None, None, &registry).unwrap();
        assert_eq!(dockstage_model::builds_on_this_thread() - before, 1);
        assert!(report.findings.iter().any(|f| f.rule.starts_with("DS")), "the DS rules ran");
        assert!(report.analysis.score.total > 0, "the practice checks ran");
    }
}
