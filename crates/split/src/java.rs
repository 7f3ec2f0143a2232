//! # Java: Maven or Gradle to a jar on a JRE
//!
//! Recognised when a RUN runs `mvn`/`mvnw` (`package`, `install`, `verify`) or `gradle`/`gradlew`
//! (`build`, `assemble`, `jar`, `bootJar`, `shadowJar`, `installDist`).
//!
//! The builder runs the original build. The runtime stage is the JRE of the same Java version
//! (`maven:3.9-eclipse-temurin-17`, `gradle:8-jdk17`, `openjdk:17`, `eclipse-temurin:17-jdk` ->
//! `eclipse-temurin:17-jre`) and receives the jar the container runs (`java ... -jar PATH`) at
//! the same path. Maven's and Gradle's caches, the JDK and the sources stay in the builder.
//!
//! Refused, with the line: a CMD/ENTRYPOINT that is not `java -jar FILE` (split cannot tell which
//! classpath to copy), a jar named with a glob, a base whose Java version split cannot read
//! (give `--runtime-base`).

use dockstage_model::shell::SimpleCommand;
use dockstage_syntax::Keyword;

use crate::{bases, join, refuse, Ecosystem, Plan, Refusal, Scan};

pub(crate) fn is_build(c: &SimpleCommand) -> bool {
    let goals: &[&str] = match c.program() {
        "mvn" | "mvnw" => &["package", "install", "verify"],
        "gradle" | "gradlew" => &["build", "assemble", "jar", "bootJar", "shadowJar", "installDist"],
        _ => return false,
    };
    goals.iter().any(|g| c.args.iter().any(|a| a == g || a.ends_with(&format!(":{g}"))))
}

pub(crate) fn plan(scan: &Scan) -> Result<Plan, Refusal> {
    let cmd = scan.last(Keyword::Entrypoint).or_else(|| scan.last(Keyword::Cmd)).unwrap_or(scan.from);
    let words = scan.run_command();
    let jar = match words.iter().position(|w| w == "-jar") {
        Some(i) if words.first().is_some_and(|w| w.rsplit('/').next() == Some("java")) => words.get(i + 1).cloned(),
        _ => None,
    };
    let Some(jar) = jar else {
        return Err(refuse(cmd, "the container does not run `java -jar FILE`: split cannot tell which jar and classpath to copy"));
    };
    if jar.contains(['*', '?', '[', '$']) {
        return Err(refuse(cmd, format!("the jar is named by a pattern ({jar}): split needs the file's name to copy it")));
    }
    let workdir = scan.workdirs.last().cloned().unwrap_or_else(|| "/".into());
    let jar = join(&workdir, &jar);
    let runtime_base = match (&scan.options.runtime_base, bases::jre_for(&scan.base)) {
        (_, Some(b)) => b,
        (Some(b), None) => b.clone(),
        (None, None) => {
            return Err(refuse(scan.from, format!("split cannot read the Java version of {}: give --runtime-base a JRE image", scan.base)));
        }
    };
    let mut plan = Plan::new(Ecosystem::Java, runtime_base.clone());
    plan.reasons.push(format!("{jar} is the jar the build made; the JDK, the build tool and its cache stay in the builder"));
    plan.reasons.push(format!("{runtime_base} runs the jar with a JRE only"));
    plan.artifacts.push((jar.clone(), jar));
    Ok(plan)
}
