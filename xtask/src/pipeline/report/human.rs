//! The readable report: what a student sees in the terminal after `grade` or `watch`.
//!
//! Each lab with its score, then each test with a ✓ or ✗; under a failing test, why it
//! failed (the panic, the snapshot diff, the sentence explaining how the process ended) and
//! the test's hint. Long output is cut to its first lines: the JSON report keeps more.
//!
//! A fresh clone fails every test, and a report of them all scrolls the lab to start with off
//! the screen. So by default ([`Layout::fits`]) the report shows what a student acts on: the
//! lab to work on (the first one not at full marks) in full, every other lab as one line;
//! within that lab the first [`FAILURES_IN_FULL`] failures in full and every other test as
//! one line; and, right above the total, a `Next:` line naming the test, the file and the
//! command. `grade` gives it two screens of the terminal: when that is not enough, the lab's
//! one-line tests are cut from the last, with a line saying how many. Prose (hints, messages)
//! is wrapped to the terminal's width at word boundaries;
//! test output (a diff, a panic) is never wrapped. `--all` shows everything.

use std::fmt::Write as _;

use console::Style;

use crate::pipeline::report::schema::{LabReport, LabStatus, Report, TestReport, TestStatus};

/// Lines of one test's output shown in the human report (the JSON report keeps more).
const HUMAN_OUTPUT_LINES: usize = 30;

/// Failing tests of the lab to work on shown in full; the others take one line each.
pub const FAILURES_IN_FULL: usize = 3;

/// How much of a report to show, and how wide.
#[derive(Debug, Clone)]
pub struct Layout {
    pub order: TestOrder,
    /// Every lab and every failure in full (`--all`), or what fits a screen.
    pub all: bool,
    /// The columns prose is wrapped to; `None` leaves lines as they are.
    pub width: Option<usize>,
    /// The rows the report may take (`watch`, whose screen is redrawn after each save): the
    /// lab's one-line tests are cut, from the last, until the report fits. `None`: no limit.
    pub height: Option<usize>,
    /// How the `Next:` line ends: what checks the fix, with `{lab}` for the lab's number
    /// (``then run `cargo xtask grade {lab}` ``); `None`, no `Next:` line, when the reader is
    /// not the student (a class's feedback, a reference solution).
    pub next_check: Option<&'static str>,
}

impl Layout {
    /// Everything, unwrapped: what a file or another program gets.
    pub fn everything() -> Layout {
        Layout {
            order: TestOrder::Course,
            all: true,
            width: None,
            height: None,
            next_check: None,
        }
    }

    /// What fits a student's terminal, wrapped to its width when it is one.
    pub fn fits(order: TestOrder, next_check: &'static str) -> Layout {
        Layout {
            order,
            all: false,
            width: terminal_width(),
            height: None,
            next_check: Some(next_check),
        }
    }

    /// As [`Layout::fits`], on a screen of `rows` (`watch` takes some for its own lines).
    pub fn fits_in(order: TestOrder, next_check: &'static str, rows: Option<usize>) -> Layout {
        Layout {
            height: rows,
            ..Layout::fits(order, next_check)
        }
    }
}

/// The terminal's height: stdout's when it is a terminal, else `LINES` when set, else none.
pub fn terminal_height() -> Option<usize> {
    terminal_measure(|(rows, _columns)| rows, "LINES", 10)
}

/// The terminal's width: stdout's when it is a terminal, else `COLUMNS` when set, else none.
pub fn terminal_width() -> Option<usize> {
    terminal_measure(|(_rows, columns)| columns, "COLUMNS", 20)
}

/// One of stdout's terminal dimensions, else the environment variable that stands for it,
/// if it is at least `minimum`.
fn terminal_measure(pick: fn((u16, u16)) -> u16, variable: &str, minimum: usize) -> Option<usize> {
    console::Term::stdout()
        .size_checked()
        .map(|size| usize::from(pick(size)))
        .or_else(|| std::env::var(variable).ok()?.parse().ok())
        .filter(|measure| *measure >= minimum)
}

/// The rows `text` takes on a terminal `width` columns wide: a longer line wraps.
fn rows_on_screen(text: &str, width: usize) -> usize {
    text.lines()
        .map(|line| console::measure_text_width(line).div_ceil(width).max(1))
        .sum()
}

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
    to_human_laid_out(report, submission_label, &Layout::everything())
}

/// The report a student reads, laid out as `layout` says.
pub fn to_human_laid_out(report: &Report, submission_label: &str, layout: &Layout) -> String {
    let text = laid_out(report, submission_label, layout, usize::MAX);
    let Some(height) = layout.height else {
        return text;
    };
    let width = layout.width.unwrap_or(80);
    let excess = rows_on_screen(&text, width).saturating_sub(height);
    if excess == 0 {
        return text;
    }
    // Fewer one-line tests, and one line saying so: cut one more than the excess.
    let one_liners =
        focus_lab(report, layout).map_or(0, |index| one_line_tests(&report.labs[index], layout));
    laid_out(
        report,
        submission_label,
        layout,
        one_liners.saturating_sub(excess + 1),
    )
}

/// How many of a lab's tests `render_lab` shows in one line: all but the failures in full.
fn one_line_tests(lab: &LabReport, layout: &Layout) -> usize {
    if lab.status != LabStatus::Graded {
        return 0;
    }
    let failures = lab
        .tests
        .iter()
        .filter(|test| test.status != TestStatus::Passed)
        .count();
    let in_full = if layout.all {
        failures
    } else {
        failures.min(FAILURES_IN_FULL)
    };
    lab.tests.len() - in_full
}

/// The report, with at most `one_liners` tests of the lab in focus shown in one line.
fn laid_out(report: &Report, submission_label: &str, layout: &Layout, one_liners: usize) -> String {
    let mut text = format!("Grading {submission_label}\n");
    let focus = focus_lab(report, layout);
    for (index, lab) in report.labs.iter().enumerate() {
        if layout.all || Some(index) == focus {
            if layout.all || index > 0 {
                text.push('\n');
            }
            render_lab(&mut text, lab, layout, one_liners);
        } else {
            if index == 0 || Some(index - 1) == focus {
                text.push('\n');
            }
            render_lab_line(&mut text, lab, layout);
        }
    }
    text.push('\n');
    if let (Some(check), Some(index)) = (layout.next_check, focus) {
        let next = Style::new().bold().apply_to("Next:").to_string();
        let step = next_step(&report.labs[index], check);
        text.push_str(&wrapped(
            &step.replacen("Next:", &next, 1),
            "",
            "      ",
            layout,
        ));
    }
    let total_style = if report.score >= report.max_score {
        Style::new().green().bold()
    } else {
        Style::new().bold()
    };
    let _ = writeln!(
        text,
        "{}",
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

/// The lab to show in full when not everything is: the first one not at full marks.
fn focus_lab(report: &Report, layout: &Layout) -> Option<usize> {
    if layout.all {
        return None;
    }
    report
        .labs
        .iter()
        .position(|lab| lab.score < lab.max_score)
        .or((report.labs.len() == 1).then_some(0))
}

/// A lab in one line: `✓ 01-ports  Port ranges  28 / 28`, or how many tests are left.
fn render_lab_line(text: &mut String, lab: &LabReport, layout: &Layout) {
    let left = lab
        .tests
        .iter()
        .filter(|test| test.status != TestStatus::Passed)
        .count();
    let (mark, style, state) = match lab.status {
        LabStatus::Graded if left == 0 => ("✓", Style::new().green(), String::new()),
        LabStatus::Graded => ("✗", Style::new().red(), format!("  ({left} to fix)")),
        LabStatus::BuildError => ("✗", Style::new().red(), "  (does not compile)".into()),
        LabStatus::Missing => ("✗", Style::new().red(), "  (missing)".into()),
    };
    let score = format!("{} / {}", points(lab.score), points(lab.max_score));
    // The title goes last, cut to what the line has room for: the rest says where the lab is.
    let fixed = format!("{mark} {}  {score}{state}  ", lab.id);
    let room = layout.width.map_or(usize::MAX, |width| {
        width.saturating_sub(console::measure_text_width(&fixed))
    });
    let _ = writeln!(
        text,
        "{} {}  {}{}  {}",
        style.apply_to(mark),
        lab.id,
        Style::new().bold().apply_to(score),
        Style::new().dim().apply_to(state),
        console::truncate_str(&lab.title, room, "…")
    );
}

/// `Next:` what to do, where, and the command that checks it.
fn next_step(lab: &LabReport, check: &str) -> String {
    let number = lab.id.split('-').next().unwrap_or(&lab.id);
    let check = check.replace("{lab}", number);
    match lab.status {
        LabStatus::BuildError => format!(
            "Next: make labs/{}/src compile (the first error above), {check}",
            lab.id
        ),
        LabStatus::Missing => format!("Next: {}", lab.message),
        LabStatus::Graded => match lab
            .tests
            .iter()
            .find(|test| test.status != TestStatus::Passed)
        {
            None => format!("Next: lab {number} is done; `cargo xtask list` shows the next lab"),
            Some(test) => format!(
                "Next: {} in {}, {check}",
                test.name,
                file_to_edit(lab, test)
            ),
        },
    }
}

/// The file a failing test points to: the source file its output names (a `todo!()` still
/// there, a panic's location), else the test's own file.
fn file_to_edit(lab: &LabReport, test: &TestReport) -> String {
    let src = format!("labs/{}/src/", lab.id);
    if let Some(start) = test.output.find(&src) {
        let rest = &test.output[start..];
        let end = rest
            .find(|c: char| c == ':' || c == '`' || c.is_whitespace())
            .unwrap_or(rest.len());
        return rest[..end].to_string();
    }
    let module = test.name.split("::").next().unwrap_or(&test.name);
    format!("labs/{}/tests/{module}.rs", lab.id)
}

/// `text` wrapped to the layout's width at word boundaries, each line ending in a newline.
fn wrapped(text: &str, first_indent: &str, indent: &str, layout: &Layout) -> String {
    let Some(width) = layout.width else {
        return format!("{first_indent}{text}\n");
    };
    let options = textwrap::Options::new(width)
        .initial_indent(first_indent)
        .subsequent_indent(indent)
        .break_words(false);
    textwrap::fill(text, options) + "\n"
}

fn render_lab(text: &mut String, lab: &LabReport, layout: &Layout, one_liners: usize) {
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
            let mut failures_shown = 0;
            let (mut one_liners_left, mut not_shown) = (one_liners, 0);
            for test in layout.order.arrange(&lab.tests) {
                let in_full = test.status != TestStatus::Passed
                    && (layout.all || failures_shown < FAILURES_IN_FULL);
                failures_shown += usize::from(in_full);
                if !in_full {
                    if one_liners_left == 0 {
                        not_shown += 1;
                        continue;
                    }
                    one_liners_left -= 1;
                }
                render_test(text, test, in_full, layout);
            }
            let failures = lab
                .tests
                .iter()
                .filter(|test| test.status != TestStatus::Passed)
                .count();
            if not_shown > 0 {
                let _ = writeln!(
                    text,
                    "  {}",
                    Style::new().dim().apply_to(format!(
                        "(and {not_shown} more tests; --all shows every test in full)"
                    ))
                );
            } else if failures > failures_shown {
                let _ = writeln!(
                    text,
                    "  {}",
                    Style::new().dim().apply_to(format!(
                        "({} more failing, one line each; --all shows them in full)",
                        failures - failures_shown
                    ))
                );
            }
        }
    }
    if lab.status != LabStatus::Graded || lab.hint.is_none() {
        return;
    }
    // A lab's hint speaks of its tests, shown only for a lab whose tests ran; on a screen
    // that shows the first failures' own hints, it would only push them up.
    if let Some(hint) = lab.hint.as_ref().filter(|_| layout.all) {
        let label = Style::new().cyan().apply_to("hint:").to_string();
        text.push_str(&wrapped(&format!("{label} {hint}"), "  ", "  ", layout));
    }
    if let Some(chapter) = &lab.chapter {
        let _ = writeln!(
            text,
            "  {} {chapter}",
            Style::new().cyan().apply_to("read:")
        );
    }
}

/// A test's line, and, `in_full`, why it failed and its hint.
fn render_test(text: &mut String, test: &TestReport, in_full: bool, layout: &Layout) {
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
    if !in_full {
        return;
    }
    if test.hidden {
        // The student reads this report: what a hidden test checks stays with the instructor
        // (it is in the JSON report).
        text.push_str(&wrapped(
            "a hidden test: what it checks is not shown; re-read the lab's chapter and test your edge cases",
            "      ",
            "      ",
            layout,
        ));
    } else {
        push_indented(text, &test.output, 6, HUMAN_OUTPUT_LINES);
        if let Some(hint) = &test.hint {
            let label = Style::new().cyan().apply_to("hint:").to_string();
            text.push_str(&wrapped(
                &format!("{label} {hint}"),
                "      ",
                "      ",
                layout,
            ));
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
