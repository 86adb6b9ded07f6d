//! `cargo xtask gradebook export`: a graded class as the file an LMS imports.
//!
//! Each format is written to the LMS's own rules, so the file imports as it is:
//!
//! - **Canvas** (Grades → Import): a header `Student,ID,SIS User ID,SIS Login ID,Section`, then
//!   one column per lab headed `Title (assignment id)` — or `Title` alone, which makes Canvas
//!   create the assignment — then a `Points Possible` row, then one row per student. Canvas
//!   finds a student by `ID`, then `SIS User ID`, then `SIS Login ID`, then by name; a blank
//!   cell leaves a score as it is. A lab's title must not look like one of the columns Canvas
//!   computes itself (`Current Score`, `Final Grade`, …): Canvas would drop it.
//! - **Moodle** (Grades → Import → CSV file): one column that identifies the user — `Email
//!   address`, `ID number` or `Username`, chosen with `--moodle-key` — then `Full name`, then
//!   one column per lab, headed by its grade item's name; an empty cell is no grade. On the
//!   import page, map the identity column to the matching user field and each lab's column to
//!   its grade item (or to a new one).
//! - **csv**: every student with every identity the roster has, the total, the max, each lab
//!   and the status — for a spreadsheet or another system.
//!
//! All three are UTF-8 without a byte-order mark, comma-separated, quoted as RFC 4180 says.
//! Only students the roster names can go to an LMS; the others are listed, not guessed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::roster::{Roster, RosterStudent, lab_named_by_title};
use super::summary::{
    ClassLab, ClassManifest, Shard, Standing, StudentRow, class_rows, csv_writer, finish,
    format_points,
};
use crate::files::write_atomically;

#[derive(Clone, Copy, Debug, PartialEq, clap::ValueEnum)]
pub enum Lms {
    Canvas,
    Moodle,
    Csv,
}

/// Which of a student's identities Moodle finds them by.
#[derive(Clone, Copy, Debug, PartialEq, clap::ValueEnum)]
pub enum MoodleKey {
    Email,
    Idnumber,
    Username,
}

impl MoodleKey {
    /// The header Moodle's own exports give the column, and the roster's value for it.
    fn column(self) -> (&'static str, fn(&RosterStudent) -> Option<&String>) {
        match self {
            MoodleKey::Email => ("Email address", |student| student.email.as_ref()),
            MoodleKey::Idnumber => ("ID number", |student| student.idnumber.as_ref()),
            MoodleKey::Username => ("Username", |student| student.username.as_ref()),
        }
    }
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The graded class's out-dir (from `grade --submissions … --out-dir OUT`, or merged).
    #[arg(value_name = "OUT")]
    out_dir: PathBuf,

    /// The format: canvas, moodle, or a plain csv.
    #[arg(long, value_enum)]
    lms: Lms,

    /// Where to write the file [default: OUT/export-<lms>.csv].
    #[arg(long, value_name = "FILE")]
    to: Option<PathBuf>,

    /// The roster to use instead of the one the class was graded with (`grade --roster`).
    #[arg(long, value_name = "FILE")]
    roster: Option<PathBuf>,

    /// Canvas: the assignment a lab's scores go to, as LAB=ID (e.g. 01=5501), once per lab.
    /// Without one, a lab's id comes from the roster's headers, or Canvas creates the
    /// assignment.
    #[arg(long = "assignment", value_name = "LAB=ID", value_parser = parse_assignment)]
    assignments: Vec<(String, String)>,

    /// Canvas: leave out the `Points Possible` row (which sets each assignment's points to the
    /// lab's).
    #[arg(long)]
    no_points_possible: bool,

    /// Moodle: the user field the import matches students by.
    #[arg(long, value_enum, default_value = "email")]
    moodle_key: MoodleKey,
}

fn parse_assignment(text: &str) -> Result<(String, String), String> {
    let (lab, id) = text
        .split_once('=')
        .ok_or_else(|| format!("expected LAB=ID (e.g. 01=5501), got {text:?}"))?;
    let id = id.trim();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{text:?}: a Canvas assignment id is a number (the last part of the assignment's address)"
        ));
    }
    Ok((lab.trim().to_string(), id.to_string()))
}

pub fn export(args: ExportArgs) -> Result<ExitCode> {
    let mut manifest = ClassManifest::read(&args.out_dir)?;
    if manifest.shard != Shard::WHOLE {
        bail!(
            "{} holds shard {} of the class only: merge the shards first (`cargo xtask gradebook merge`), then export the merged out-dir",
            args.out_dir.display(),
            manifest.shard
        );
    }
    if let Some(path) = &args.roster {
        manifest.roster = Some(Roster::read(path, |title| {
            lab_named_by_title(&manifest.labs, title)
        })?);
    }
    let rows = class_rows(&args.out_dir, &manifest);
    let name = match args.lms {
        Lms::Canvas => "canvas",
        Lms::Moodle => "moodle",
        Lms::Csv => "csv",
    };
    let (text, left_out) = match args.lms {
        Lms::Csv => (plain_csv(&manifest, &rows)?, Vec::new()),
        lms => {
            let Some(roster) = &manifest.roster else {
                bail!(
                    "a {name} export needs a roster, to know who each submission is in the LMS: \
                     grade the class with --roster FILE, or give --roster FILE here"
                );
            };
            if lms == Lms::Canvas {
                let ids = assignment_ids(&manifest, roster, &args.assignments)?;
                canvas(&manifest, &rows, &ids, !args.no_points_possible)?
            } else {
                moodle(&manifest, &rows, args.moodle_key)?
            }
        }
    };
    let to = args
        .to
        .unwrap_or_else(|| args.out_dir.join(format!("export-{name}.csv")));
    write_atomically(&to, &text).with_context(|| format!("cannot write {}", to.display()))?;
    let exported = rows.len() - left_out.len();
    println!("{exported} students exported for {name}: {}", to.display());
    if !left_out.is_empty() {
        println!(
            "left out ({}), so that the import changes nothing of theirs:",
            left_out.len()
        );
        for line in left_out {
            println!("  {line}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Each lab's Canvas assignment id, if it has one: from `--assignment`, else the roster.
fn assignment_ids(
    manifest: &ClassManifest,
    roster: &Roster,
    given: &[(String, String)],
) -> Result<BTreeMap<String, String>> {
    let mut ids = roster.assignments.clone();
    for (name, id) in given {
        let lab = manifest
            .labs
            .iter()
            .find(|lab| lab.is_named(name))
            .with_context(|| {
                format!(
                    "--assignment {name}={id}: the class has no lab {name} (its labs: {})",
                    manifest
                        .labs
                        .iter()
                        .map(|lab| lab.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?;
        ids.insert(lab.id.clone(), id.clone());
    }
    Ok(ids)
}

/// The title a lab's column has in an LMS: `Lab 01: Port ranges`.
fn lab_title(lab: &ClassLab) -> String {
    let number = lab.id.split('-').next().unwrap_or(&lab.id);
    format!("Lab {number}: {}", lab.title)
}

/// Canvas's gradebook import; returns the file and the students it leaves out.
fn canvas(
    manifest: &ClassManifest,
    rows: &[StudentRow],
    assignment_ids: &BTreeMap<String, String>,
    points_possible: bool,
) -> Result<(String, Vec<String>)> {
    let mut csv = csv_writer();
    let mut header: Vec<String> = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
        .map(String::from)
        .to_vec();
    header.extend(
        manifest
            .labs
            .iter()
            .map(|lab| match assignment_ids.get(&lab.id) {
                Some(id) => format!("{} ({id})", lab_title(lab)),
                None => lab_title(lab),
            }),
    );
    csv.write_record(&header)?;
    if points_possible {
        let mut row = vec!["Points Possible".to_string(); 1];
        row.extend(std::iter::repeat_n(String::new(), 4));
        row.extend(manifest.labs.iter().map(|lab| format_points(lab.points)));
        csv.write_record(&row)?;
    }
    let mut left_out = Vec::new();
    for row in rows {
        let Some(student) = exported_identity(row, &mut left_out) else {
            continue;
        };
        let mut record = vec![
            student.name.clone(),
            student.id.clone().unwrap_or_default(),
            student.sis_user_id.clone().unwrap_or_default(),
            student.sis_login_id.clone().unwrap_or_default(),
            student.section.clone().unwrap_or_default(),
        ];
        record.extend(lab_cells(manifest, row));
        csv.write_record(&record)?;
    }
    Ok((finish(csv)?, left_out))
}

/// Moodle's CSV grade import; returns the file and the students it leaves out.
fn moodle(
    manifest: &ClassManifest,
    rows: &[StudentRow],
    key: MoodleKey,
) -> Result<(String, Vec<String>)> {
    let (key_header, key_of) = key.column();
    let mut csv = csv_writer();
    let mut header = vec![key_header.to_string(), "Full name".to_string()];
    header.extend(manifest.labs.iter().map(lab_title));
    csv.write_record(&header)?;
    let mut left_out = Vec::new();
    for row in rows {
        let Some(student) = exported_identity(row, &mut left_out) else {
            continue;
        };
        let Some(key_value) = key_of(student) else {
            left_out.push(format!(
                "{}: the roster gives {} no {key_header}",
                row.id, student.name
            ));
            continue;
        };
        let mut record = vec![key_value.clone(), student.name.clone()];
        record.extend(lab_cells(manifest, row));
        csv.write_record(&record)?;
    }
    Ok((finish(csv)?, left_out))
}

/// Who a row is in the LMS, or why it is left out of an import: a student the roster does
/// not name, or one whose grading never finished (a 0 would overwrite what the LMS has).
fn exported_identity<'a>(
    row: &StudentRow<'a>,
    left_out: &mut Vec<String>,
) -> Option<&'a RosterStudent> {
    if matches!(row.standing, Standing::Interrupted) {
        left_out.push(format!(
            "{}: not graded (interrupted): grade the class again, then export",
            row.id
        ));
        return None;
    }
    if row.identity.is_none() {
        left_out.push(format!("{}: not on the roster", row.id));
    }
    row.identity
}

/// A student's points for each lab, blank where there is no score.
fn lab_cells<'a>(
    manifest: &'a ClassManifest,
    row: &'a StudentRow,
) -> impl Iterator<Item = String> + 'a {
    manifest.labs.iter().map(|lab| {
        row.lab_points(&lab.id)
            .map(format_points)
            .unwrap_or_default()
    })
}

/// Every student, every identity, every figure.
fn plain_csv(manifest: &ClassManifest, rows: &[StudentRow]) -> Result<String> {
    let mut csv = csv_writer();
    let mut header: Vec<String> = [
        "student",
        "name",
        "id",
        "sis_user_id",
        "sis_login_id",
        "section",
        "email",
        "username",
        "idnumber",
        "total",
        "max",
    ]
    .map(String::from)
    .to_vec();
    header.extend(manifest.labs.iter().map(|lab| lab.id.clone()));
    header.push("status".into());
    csv.write_record(&header)?;
    let max = format_points(manifest.max_points());
    for row in rows {
        let identity = row.identity.cloned().unwrap_or_default();
        let mut record = vec![
            row.id.clone(),
            identity.name,
            identity.id.unwrap_or_default(),
            identity.sis_user_id.unwrap_or_default(),
            identity.sis_login_id.unwrap_or_default(),
            identity.section.unwrap_or_default(),
            identity.email.unwrap_or_default(),
            identity.username.unwrap_or_default(),
            identity.idnumber.unwrap_or_default(),
            format_points(row.total()),
            max.clone(),
        ];
        record.extend(lab_cells(manifest, row));
        record.push(row.status(manifest));
        csv.write_record(&record)?;
    }
    finish(csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assignment_flag_names_a_lab_of_the_class_and_a_numeric_id() {
        assert_eq!(
            parse_assignment("01=5501"),
            Ok(("01".into(), "5501".into()))
        );
        assert!(parse_assignment("01=abc").is_err());
        assert!(parse_assignment("5501").is_err());
    }
}
