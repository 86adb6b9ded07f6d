//! The roster: who each submission belongs to in the learning management system.
//!
//! A class folder names its students by their submissions (`alice/`, `bob.zip`); an LMS knows
//! them by its own identities (a user id, SIS ids, an email, a section). The roster is the CSV
//! file that joins the two, one row per student:
//!
//! ```text
//! submission,name,id,sis_user_id,sis_login_id,section,email,username,idnumber
//! alice,"Liddell, Alice",1041,S1041,aliddell,Section A,alice@example.edu,aliddell,1041
//! ```
//!
//! Only `submission` and `name` are needed; the other columns are what an export needs (Canvas
//! matches students by `id`, `sis_user_id` or `sis_login_id`; Moodle by `email`, `idnumber` or
//! `username`). The headers of Canvas's own gradebook export are read too (`Student`, `ID`,
//! `SIS User ID`, `SIS Login ID`, `Section`), so that file can be the roster once a
//! `submission` column is added; its assignment columns (`Lab 01 (1234)`) then give each lab
//! its Canvas assignment id, and its `Points Possible` row is skipped.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use super::summary::ClassLab;

/// One student of the roster.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RosterStudent {
    /// The name of the student's entry in the class folder.
    pub submission: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sis_user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sis_login_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idnumber: Option<String>,
}

/// The roster as read: its students, in the file's order, and the Canvas assignment ids its
/// headers name, by lab id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Roster {
    pub students: Vec<RosterStudent>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub assignments: BTreeMap<String, String>,
}

/// The roster's columns, and the headers each is known by (compared without case, spaces or
/// `_`).
const COLUMNS: &[(&str, &[&str])] = &[
    ("submission", &["submission"]),
    ("name", &["name", "student", "full name"]),
    ("id", &["id", "user id", "canvas id"]),
    ("sis_user_id", &["sis user id"]),
    ("sis_login_id", &["sis login id", "login id"]),
    ("section", &["section"]),
    ("email", &["email", "email address"]),
    ("username", &["username"]),
    ("idnumber", &["idnumber", "id number"]),
];

fn normalized(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

impl Roster {
    /// Reads a roster. `lab_named` tells which lab (if any) an assignment's title names.
    pub fn read(path: &Path, lab_named: impl Fn(&str) -> Option<String>) -> Result<Roster> {
        let text = std::fs::read(path)
            .with_context(|| format!("cannot read the roster {}", path.display()))?;
        Self::parse(&text, lab_named).with_context(|| format!("the roster {}", path.display()))
    }

    fn parse(text: &[u8], lab_named: impl Fn(&str) -> Option<String>) -> Result<Roster> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text);
        let headers = reader.headers().context("is not a CSV file")?.clone();
        let mut column_of = BTreeMap::new();
        let mut assignments = BTreeMap::new();
        for (index, header) in headers.iter().enumerate() {
            let key = normalized(header);
            if let Some((column, _)) = COLUMNS
                .iter()
                .find(|(_, names)| names.iter().any(|name| normalized(name) == key))
            {
                column_of.entry(*column).or_insert(index);
            } else if let Some((title, id)) = title_and_id(header)
                && let Some(lab) = lab_named(title)
            {
                assignments.insert(lab, id.to_string());
            }
        }
        for needed in ["submission", "name"] {
            if !column_of.contains_key(needed) {
                bail!(
                    "has no {needed:?} column (its columns: {}); a roster needs submission (the name of the \
                     student's entry in the class folder) and name, then any of id, sis_user_id, sis_login_id, \
                     section, email, username, idnumber",
                    headers.iter().collect::<Vec<_>>().join(", ")
                );
            }
        }

        let mut students: Vec<RosterStudent> = Vec::new();
        for (line, record) in reader.records().enumerate() {
            let record = record.with_context(|| format!("row {} is not valid CSV", line + 2))?;
            let field = |column: &str| {
                column_of
                    .get(column)
                    .and_then(|&index| record.get(index))
                    .map(str::trim)
                    .filter(|value| !value.is_empty())
                    .map(str::to_string)
            };
            let name = field("name").unwrap_or_default();
            if name.contains("Points Possible")
                || record.iter().all(|value| value.trim().is_empty())
            {
                continue;
            }
            let Some(submission) = field("submission") else {
                bail!(
                    "row {} ({name}) has no submission: give the name of the student's entry in the class folder",
                    line + 2
                );
            };
            if let Some(first) = students
                .iter()
                .find(|student| student.submission == submission)
            {
                bail!(
                    "the submission {submission:?} is on two rows ({} and {name}): each submission belongs to one student",
                    first.name
                );
            }
            students.push(RosterStudent {
                submission,
                name,
                id: field("id"),
                sis_user_id: field("sis_user_id"),
                sis_login_id: field("sis_login_id"),
                section: field("section"),
                email: field("email"),
                username: field("username"),
                idnumber: field("idnumber"),
            });
        }
        if students.is_empty() {
            bail!("has no students");
        }
        Ok(Roster {
            students,
            assignments,
        })
    }

    pub fn student(&self, submission: &str) -> Option<&RosterStudent> {
        self.students
            .iter()
            .find(|student| student.submission == submission)
    }
}

/// The lab an LMS assignment's title names, if any: `Lab 01`, `01`, `01-ports`, `ports`, the
/// lab's title, or one of those followed by more (`Lab 01: Port ranges`).
pub fn lab_named_by_title(labs: &[ClassLab], title: &str) -> Option<String> {
    let title = title.trim();
    let bare = title
        .strip_prefix("Lab ")
        .or_else(|| title.strip_prefix("lab "))
        .unwrap_or(title)
        .trim();
    let first_word = bare.split([' ', ':']).next().unwrap_or_default();
    labs.iter()
        .find(|lab| {
            lab.is_named(bare) || lab.is_named(first_word) || lab.title.eq_ignore_ascii_case(bare)
        })
        .map(|lab| lab.id.clone())
}

/// A Canvas assignment header, `Title (1234)`, as its title and id.
pub fn title_and_id(header: &str) -> Option<(&str, &str)> {
    let inner = header.trim().strip_suffix(')')?;
    let (title, id) = inner.rsplit_once(" (")?;
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then_some((title.trim(), id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lab_named(title: &str) -> Option<String> {
        lab_named_by_title(&labs(), title)
    }

    fn labs() -> Vec<ClassLab> {
        vec![ClassLab {
            id: "01-ports".into(),
            title: "Port ranges".into(),
            points: 28.0,
        }]
    }

    #[test]
    fn assignment_titles_name_their_labs() {
        let labs = labs();
        for title in [
            "Lab 01",
            "01-ports",
            "01",
            "Port ranges",
            "Lab 01: Port ranges",
            "01-ports ports",
        ] {
            assert_eq!(
                lab_named_by_title(&labs, title).as_deref(),
                Some("01-ports"),
                "{title}"
            );
        }
        for title in ["Lab 02", "Quiz 1", "010"] {
            assert_eq!(lab_named_by_title(&labs, title), None, "{title}");
        }
    }

    #[test]
    fn a_roster_of_our_own_columns_is_read_with_its_optional_fields() {
        let text = "submission,name,id,email\nalice,\"Liddell, Alice\",1041,alice@example.edu\nbob,Bob,,\n";
        let roster = Roster::parse(text.as_bytes(), lab_named).unwrap();
        assert_eq!(roster.students.len(), 2);
        let alice = roster.student("alice").unwrap();
        assert_eq!(alice.name, "Liddell, Alice");
        assert_eq!(alice.id.as_deref(), Some("1041"));
        assert_eq!(alice.email.as_deref(), Some("alice@example.edu"));
        assert_eq!(roster.student("bob").unwrap().id, None, "blank is absent");
    }

    #[test]
    fn canvas_export_headers_give_identities_and_assignment_ids() {
        let text = "\u{feff}Student,ID,SIS User ID,SIS Login ID,Section,Submission,Lab 01 ports (5501),Current Score\n\
                    Points Possible,,,,,,28,\n\
                    \"Liddell, Alice\",1041,S1041,aliddell,A,alice,,\n";
        let roster = Roster::parse(text.as_bytes(), lab_named).unwrap();
        assert_eq!(
            roster.students.len(),
            1,
            "the Points Possible row is no student"
        );
        let alice = &roster.students[0];
        assert_eq!(
            (
                alice.sis_user_id.as_deref(),
                alice.sis_login_id.as_deref(),
                alice.section.as_deref()
            ),
            (Some("S1041"), Some("aliddell"), Some("A"))
        );
        assert_eq!(roster.assignments["01-ports"], "5501");
    }

    #[test]
    fn a_roster_without_the_needed_columns_or_with_a_submission_twice_is_refused() {
        let no_submission = Roster::parse(b"name,email\nAlice,a@x\n", lab_named).unwrap_err();
        assert!(format!("{no_submission:#}").contains("no \"submission\" column"));
        let twice = Roster::parse(b"submission,name\nalice,A\nalice,B\n", lab_named).unwrap_err();
        assert!(format!("{twice:#}").contains("on two rows"));
        let blank = Roster::parse(b"submission,name\n,Alice\n", lab_named).unwrap_err();
        assert!(format!("{blank:#}").contains("has no submission"));
    }

    #[test]
    fn canvas_titles_end_in_the_assignment_id() {
        assert_eq!(title_and_id("Lab 01 (1234)"), Some(("Lab 01", "1234")));
        assert_eq!(
            title_and_id("Lab (draft) 01 (77)"),
            Some(("Lab (draft) 01", "77"))
        );
        assert_eq!(title_and_id("Lab 01"), None);
        assert_eq!(title_and_id("Lab 01 (x)"), None);
    }
}
