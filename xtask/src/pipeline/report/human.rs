//! The readable report: what a student sees in the terminal after `grade` or `watch`.
//!
//! Each lab with its score, then each test with a ✓ or ✗; under a failing test, why it
//! failed (the panic, the snapshot diff, the sentence explaining how the process ended) and
//! the test's hint. Long output is cut to its first lines: the JSON report keeps more.

use std::fmt::Write as _;

use console::Style;

use crate::pipeline::report::schema::{LabReport, LabStatus, Report, TestReport, TestStatus};

/// Lines of one test's output shown in the human report (the JSON report keeps more).
const HUMAN_OUTPUT_LINES: usize = 30;

/// The order of a lab's tests in the human report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TestOrder {
    /// `lab.toml`'s order, the order a student should meet them (`cargo xtask grade`).
    Course,
    /// The tests still to fix first, then the passed ones (`cargo xtask watch`, where the
    /// top of the screen is what a student reads after each save).
    FailingFirst,
}

impl TestOrder {
    /// The tests of a lab (already in `lab.toml`'s order) in this order.
    fn arrange<'a>(&self, tests: &'a [TestReport]) -> Vec<&'a TestReport> {
        let mut arranged: Vec<&TestReport> = tests.iter().collect();
        if *self == TestOrder::FailingFirst {
            // A stable sort: each group keeps lab.toml's order.
            arranged.sort_by_key(|test| test.status == TestStatus::Passed);
        }
        arranged
    }
}

/// The report a student reads. Colours follow `console`'s setting (off when not a terminal
/// or when NO_COLOR is set).
pub fn to_human(report: &Report, submission_label: &str) -> String {
    to_human_in_order(report, submission_label, TestOrder::Course)
}

/// The report a student reads, with each lab's tests in `order`.
pub fn to_human_in_order(report: &Report, submission_label: &str, order: TestOrder) -> String {
    let mut text = format!("Grading {submission_label}\n");
    for lab in &report.labs {
        text.push('\n');
        render_lab(&mut text, lab, order);
    }
    let total_style = if report.score >= report.max_score {
        Style::new().green().bold()
    } else {
        Style::new().bold()
    };
    let _ = writeln!(
        text,
        "\n{}",
        total_style.apply_to(format!(
            "Total: {} / {} ({:.0}%)",
            points(report.score),
            points(report.max_score),
            report.percent()
        ))
    );
    // Only where a wall is missing: a full sandbox needs no comment.
    for note in &report.isolation.notes {
        let _ = writeln!(text, "{} {note}", Style::new().yellow().apply_to("note:"));
    }
    text
}

fn render_lab(text: &mut String, lab: &LabReport, order: TestOrder) {
    let heading = format!("{}  {}", lab.id, lab.title);
    let _ = writeln!(
        text,
        "{}  {}",
        Style::new().bold().apply_to(heading),
        Style::new()
            .bold()
            .apply_to(format!("{} / {}", points(lab.score), points(lab.max_score)))
    );
    match lab.status {
        LabStatus::BuildError => {
            let _ = writeln!(
                text,
                "  {} the lab did not compile, so none of its {} tests could run:",
                Style::new().red().apply_to("✗"),
                lab.tests.len()
            );
            push_indented(text, &lab.message, 6, usize::MAX);
        }
        LabStatus::Missing => {
            let _ = writeln!(
                text,
                "  {} {}",
                Style::new().red().apply_to("✗"),
                lab.message
            );
        }
        LabStatus::Graded => {
            if !lab.message.is_empty() {
                push_indented(text, &lab.message, 2, usize::MAX);
            }
            for test in order.arrange(&lab.tests) {
                render_test(text, test);
            }
        }
    }
    if let Some(hint) = &lab.hint {
        let _ = writeln!(text, "  {} {hint}", Style::new().cyan().apply_to("hint:"));
        if let Some(chapter) = &lab.chapter {
            let _ = writeln!(
                text,
                "  {} {chapter}",
                Style::new().cyan().apply_to("read:")
            );
        }
    }
}

fn render_test(text: &mut String, test: &TestReport) {
    let (mark, style) = match test.status {
        TestStatus::Passed => ("✓", Style::new().green()),
        _ => ("✗", Style::new().red()),
    };
    let labels: Vec<&str> = test
        .hidden
        .then_some("hidden")
        .into_iter()
        .chain(test.status.label())
        // It failed once, then passed on a rerun: the pass counts.
        .chain(test.flaky.then_some("passed when run again"))
        .collect();
    let tag = if labels.is_empty() {
        String::new()
    } else {
        format!(" [{}]", labels.join(", "))
    };
    let _ = writeln!(
        text,
        "  {} {}{}  {}",
        style.apply_to(mark),
        test.name,
        style.apply_to(tag),
        Style::new().dim().apply_to(format!(
            "{} / {}",
            points(test.score),
            points(test.max_score)
        ))
    );
    if test.status != TestStatus::Passed && test.hidden {
        // The student reads this report: what a hidden test checks stays with the instructor
        // (it is in the JSON report).
        let _ = writeln!(
            text,
            "      a hidden test: what it checks is not shown; re-read the lab's chapter and test your edge cases"
        );
    } else if test.status != TestStatus::Passed {
        push_indented(text, &test.output, 6, HUMAN_OUTPUT_LINES);
        if let Some(hint) = &test.hint {
            let _ = writeln!(
                text,
                "      {} {hint}",
                Style::new().cyan().apply_to("hint:")
            );
        }
    }
}

fn push_indented(text: &mut String, block: &str, indent: usize, max_lines: usize) {
    let lines: Vec<&str> = block.lines().collect();
    for line in lines.iter().take(max_lines) {
        let _ = writeln!(text, "{:indent$}{line}", "");
    }
    if lines.len() > max_lines {
        let _ = writeln!(
            text,
            "{:indent$}… {} more lines (the whole output is in the JSON report: --out FILE)",
            "",
            lines.len() - max_lines
        );
    }
}

/// Points without a needless ".0": 2, 1.5.
pub fn points(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}").trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::points;

    #[test]
    fn points_print_like_a_person_writes_them() {
        assert_eq!(points(2.0), "2");
        assert_eq!(points(1.5), "1.5");
        assert_eq!(points(0.25), "0.25");
        assert_eq!(points(0.0), "0");
    }
}
