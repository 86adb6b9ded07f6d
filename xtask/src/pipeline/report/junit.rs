//! The report as JUnit XML, which CI systems (GitLab, Jenkins, GitHub Actions reporters) show
//! as test results: one `<testsuite>` per lab, one `<testcase>` per test.
//!
//! `failed` and `tampered` are failures, `timeout` and `crashed` are errors, `not_run` is
//! skipped; a lab that did not compile has its tests as errors carrying the compiler's message.

use std::fmt::Write as _;

use crate::pipeline::report::schema::{LabReport, LabStatus, Report, TestStatus};

pub fn to_junit(report: &Report) -> String {
    let report = &*super::fitted(report);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"loopback-labs\" tests=\"{}\">",
        report.labs.iter().map(|lab| lab.tests.len()).sum::<usize>()
    );
    for lab in &report.labs {
        write_suite(&mut xml, lab);
    }
    xml.push_str("</testsuites>\n");
    xml
}

fn write_suite(xml: &mut String, lab: &LabReport) {
    let count = |wanted: &[TestStatus]| {
        lab.tests
            .iter()
            .filter(|test| wanted.contains(&test.status))
            .count()
    };
    let build_failed = lab.status != LabStatus::Graded;
    let (failures, errors, skipped) = if build_failed {
        (0, lab.tests.len(), 0)
    } else {
        (
            count(&[TestStatus::Failed, TestStatus::Tampered]),
            count(&[TestStatus::Timeout, TestStatus::Crashed]),
            count(&[TestStatus::NotRun]),
        )
    };
    let seconds: f64 = lab
        .tests
        .iter()
        .map(|test| test.duration_ms as f64 / 1000.0)
        .sum();
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{seconds:.3}\">",
        escape(&lab.id),
        lab.tests.len()
    );
    for test in &lab.tests {
        let _ = write!(
            xml,
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
            escape(&lab.id),
            escape(&test.name),
            test.duration_ms as f64 / 1000.0
        );
        let element = match test.status {
            _ if build_failed => Some(("error", "build_error", lab.message.as_str())),
            TestStatus::Passed => None,
            TestStatus::Failed => Some(("failure", "failed", test.output.as_str())),
            TestStatus::Tampered => Some(("failure", "tampered", test.output.as_str())),
            TestStatus::Timeout => Some(("error", "timeout", test.output.as_str())),
            TestStatus::Crashed => Some(("error", "crashed", test.output.as_str())),
            TestStatus::NotRun => Some(("skipped", "not_run", test.output.as_str())),
        };
        match element {
            None => xml.push_str("/>\n"),
            Some((tag, kind, text)) => {
                let first_line = text.lines().next().unwrap_or(kind);
                let _ = writeln!(
                    xml,
                    ">\n      <{tag} type=\"{kind}\" message=\"{}\">{}</{tag}>\n    </testcase>",
                    escape(first_line),
                    escape(text)
                );
            }
        }
    }
    xml.push_str("  </testsuite>\n");
}

/// Text made safe for XML: the five special characters escaped, and control characters (which
/// XML 1.0 cannot hold at all, and a test may print) replaced.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\n' | '\t' | '\r' => escaped.push(character),
            control if control.is_control() => escaped.push('\u{FFFD}'),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn special_and_control_characters_cannot_break_the_xml() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        assert_eq!(escape("bell\u{7}\nnext"), "bell\u{FFFD}\nnext");
    }
}
