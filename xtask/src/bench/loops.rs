//! What a class costs without the grader, measured beside it: the loop a TA who knows cargo
//! writes (one working copy, one target folder), and each student's compile-and-link floor.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::corpus::{self, Submission};
use super::measure::{self, Leash, log_to};
use super::table::format_duration;
use super::{Bench, CargoTestEnd, TIME_LIMIT, cargo_test, cargo_test_end, see, step};
use crate::course::Lab;
use crate::pipeline::build::cargo_command;

/// The shared-target loop's measured students: how long each took, and whether it graded
/// anything (a lab that does not compile stops the whole `cargo test`).
pub struct SharedLoop {
    pub times: Vec<(String, Duration, bool)>,
}

impl SharedLoop {
    pub fn gradable(&self) -> usize {
        self.times.iter().filter(|(_, _, graded)| *graded).count()
    }

    /// The mean over the students it could grade at all.
    pub fn mean_per_gradable(&self) -> Option<Duration> {
        let graded: Vec<Duration> = self
            .times
            .iter()
            .filter(|(_, _, graded)| *graded)
            .map(|(_, time, _)| *time)
            .collect();
        (!graded.is_empty()).then(|| graded.iter().sum::<Duration>() / graded.len() as u32)
    }

    pub fn describe(&self) -> String {
        let measured: Vec<String> = self
            .times
            .iter()
            .map(|(name, time, graded)| {
                let note = if *graded {
                    ""
                } else {
                    ", graded nothing: a lab did not compile"
                };
                format!("{name} {}{note}", format_duration(*time))
            })
            .collect();
        format!(
            "shared-target loop (one working copy and target folder, after a warm-up): {}.\n",
            measured.join("; ")
        )
    }
}

/// Each student's compile-and-link floor.
pub struct Floors {
    pub times: Vec<(String, Duration)>,
}

impl Floors {
    pub fn mean(&self) -> Duration {
        let total: Duration = self.times.iter().map(|(_, time)| *time).sum();
        total / self.times.len().max(1) as u32
    }

    fn of(&self, student: &str) -> Option<Duration> {
        self.times
            .iter()
            .find(|(name, _)| name == student)
            .map(|(_, time)| *time)
    }
}

/// One student's time in the batch, added up over their labs from `timings.csv`.
#[derive(Debug, PartialEq)]
pub struct StudentSplit {
    pub student: String,
    pub compile: Duration,
    pub tests: Duration,
    pub run: Duration,
    pub labs: usize,
    pub cached: usize,
}

/// Reads the batch's `timings.csv` (`student,lab,cached,compile_secs,tests_secs,run_secs`).
pub fn read_split(timings: &Path) -> Result<Vec<StudentSplit>> {
    let text = fs::read_to_string(timings)
        .with_context(|| format!("the batch grader wrote no {}", timings.display()))?;
    Ok(parse_split(&text))
}

fn parse_split(text: &str) -> Vec<StudentSplit> {
    let mut split: Vec<StudentSplit> = Vec::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [student, _lab, cached, compile, tests, run] = fields[..] else {
            continue;
        };
        let seconds = |text: &str| Duration::from_secs_f64(text.parse().unwrap_or(0.0));
        if split.last().is_none_or(|last| last.student != student) {
            split.push(StudentSplit {
                student: student.to_string(),
                compile: Duration::ZERO,
                tests: Duration::ZERO,
                run: Duration::ZERO,
                labs: 0,
                cached: 0,
            });
        }
        let row = split.last_mut().expect("pushed above");
        row.compile += seconds(compile);
        row.tests += seconds(tests);
        row.run += seconds(run);
        row.labs += 1;
        row.cached += usize::from(cached == "true");
    }
    split
}

/// The lines under the table: each student's batch time split, beside their floor.
pub fn describe_split(split: &[StudentSplit], floors: &Floors) -> String {
    let mut text = String::from(
        "each student in the batch, summed over its labs (the labs' tests run beside the next build, and \
         students side by side, so these add up to more than the wall time):\n",
    );
    for student in split {
        let floor = floors
            .of(&student.student)
            .map_or_else(|| "-".to_string(), format_duration);
        text.push_str(&format!(
            "  {}: compile {}, tests (compile + link) {}, run {}; {} of {} labs from the build cache; floor {floor}\n",
            student.student,
            format_duration(student.compile),
            format_duration(student.tests),
            format_duration(student.run),
            student.cached,
            student.labs
        ));
    }
    text
}

impl Bench {
    /// Each student's compile-and-link with nothing else to do: in one warm working copy with
    /// the grader's profile, the student's `src/` folders copied in (new files, so cargo
    /// compiles each lab again), then one `cargo build --tests --keep-going` of the labs the
    /// student handed in.
    pub(super) fn floors(&self, class: &[Submission]) -> Result<Floors> {
        let workspace = self.root.join("floor-workspace");
        let target = self.root.join("floor-target");
        corpus::copy_workspace(&self.course, &self.labs, &workspace, |lab| {
            lab.dir.join("src")
        })?;
        step("warming up (compiles the dependencies into target/bench/floor-target once)");
        let packages: Vec<&Lab> = self.labs.iter().collect();
        self.build_tests(&workspace, &target, &packages, "floor-warm-up")?;
        let mut times = Vec::new();
        for submission in class {
            let handed_in: Vec<&Lab> = self
                .labs
                .iter()
                .filter(|lab| submission.dir.join(lab.relative_dir()).join("src").is_dir())
                .collect();
            replace_srcs(&workspace, &handed_in, |lab| {
                corpus::src_for_cargo(submission, lab)
            })?;
            let took = self.build_tests(
                &workspace,
                &target,
                &handed_in,
                &format!("floor-{}", submission.name),
            )?;
            step(&format!("{}: {}", submission.name, format_duration(took)));
            times.push((submission.name.clone(), took));
        }
        Ok(Floors { times })
    }

    fn build_tests(
        &self,
        workspace: &Path,
        target: &Path,
        labs: &[&Lab],
        log_name: &str,
    ) -> Result<Duration> {
        let log = self.log(log_name);
        let mut command: Command = cargo_command(target);
        command
            .args(["build", "--tests", "--keep-going", "--offline", "--locked"])
            .args([
                "--config",
                "profile.dev.debug=false",
                "--config",
                "profile.dev.incremental=false",
            ])
            .arg("--manifest-path")
            .arg(workspace.join("Cargo.toml"))
            .current_dir(workspace);
        for lab in labs {
            command.args(["--package", &lab.package]);
        }
        log_to(&mut command, &log)?;
        let what = format!("cargo build --tests ({log_name})");
        let measured = measure::run(command, Leash::OwnProcessGroup, &what, TIME_LIMIT)?;
        // A lab that does not compile is the student's; the others are still built.
        let output = fs::read_to_string(&log).unwrap_or_default();
        if !measured.status.success() && !output.contains("could not compile `lab") {
            bail!("{what} failed ({}); {}", measured.status, see(&log));
        }
        Ok(measured.elapsed)
    }

    /// The loop a TA who knows cargo writes: one working copy, one target folder, each
    /// student's `src/` copied in, then `cargo test --no-fail-fast` of every lab. A warm-up
    /// with the reference solutions comes first, not counted.
    pub(super) fn shared_loop(&self, sample: &[Submission]) -> Result<SharedLoop> {
        let workspace = self.root.join("shared-workspace");
        let target = self.root.join("shared-target");
        let solutions = self.course.solutions_dir();
        corpus::copy_workspace(&self.course, &self.labs, &workspace, |lab| {
            solutions.join(&lab.id).join("src")
        })?;
        let packages: Vec<&str> = self.labs.iter().map(|lab| lab.package.as_str()).collect();
        step("warming up with the reference solutions (not counted)");
        self.shared_cargo_test(&workspace, &target, &packages, "shared-warm-up")?;
        let all: Vec<&Lab> = self.labs.iter().collect();
        let mut times = Vec::new();
        for submission in sample {
            let started = std::time::Instant::now();
            replace_srcs(&workspace, &all, |lab| {
                corpus::src_for_cargo(submission, lab)
            })?;
            let end = self.shared_cargo_test(
                &workspace,
                &target,
                &packages,
                &format!("shared-{}", submission.name),
            )?;
            let took = started.elapsed();
            let graded = end != CargoTestEnd::DidNotCompile;
            step(&format!(
                "{}: {}{}",
                submission.name,
                format_duration(took),
                if graded {
                    ""
                } else {
                    " (graded nothing: a lab did not compile)"
                }
            ));
            times.push((submission.name.clone(), took, graded));
        }
        Ok(SharedLoop { times })
    }

    fn shared_cargo_test(
        &self,
        workspace: &Path,
        target: &Path,
        packages: &[&str],
        log_name: &str,
    ) -> Result<CargoTestEnd> {
        let log = self.log(log_name);
        let mut command = cargo_test(workspace, target, packages);
        log_to(&mut command, &log)?;
        let what = format!("cargo test ({log_name})");
        let measured = measure::run(command, Leash::OwnProcessGroup, &what, TIME_LIMIT)?;
        let end = cargo_test_end(&measured, &log, packages);
        if end == CargoTestEnd::Broke {
            bail!(
                "{what} failed for another reason than the submission's code ({}); {}",
                measured.status,
                see(&log)
            );
        }
        Ok(end)
    }
}

/// Puts each lab's `src/` from `src_of` into the working copy, in place of the one there.
fn replace_srcs(
    workspace: &Path,
    labs: &[&Lab],
    src_of: impl Fn(&Lab) -> std::path::PathBuf,
) -> Result<()> {
    for lab in labs {
        let src = workspace.join(lab.relative_dir()).join("src");
        super::remove_if_present(&src)?;
        crate::files::copy_tree(&src_of(lab), &src)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timings_add_up_per_student() {
        let split = parse_split(
            "student,lab,cached,compile_secs,tests_secs,run_secs\n\
             s1,01-ports,false,1.000,2.000,0.500\n\
             s1,02-binding,true,0.000,0.000,0.250\n\
             s2,01-ports,true,0.000,0.000,1.000\n",
        );
        assert_eq!(split.len(), 2);
        assert_eq!(split[0].compile, Duration::from_secs(1));
        assert_eq!(split[0].tests, Duration::from_secs(2));
        assert_eq!(split[0].run, Duration::from_millis(750));
        assert_eq!((split[0].labs, split[0].cached), (2, 1));
        assert_eq!((split[1].labs, split[1].cached), (1, 1));
    }

    #[test]
    fn the_shared_loop_counts_only_the_students_it_could_grade() {
        let shared = SharedLoop {
            times: vec![
                ("a".into(), Duration::from_secs(30), true),
                ("b".into(), Duration::from_secs(2), false),
                ("c".into(), Duration::from_secs(20), true),
            ],
        };
        assert_eq!(shared.gradable(), 2);
        assert_eq!(shared.mean_per_gradable(), Some(Duration::from_secs(25)));
    }
}
