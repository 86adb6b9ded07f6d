//! The similarity report: a ranked CSV, a page of the ranking, and a page per flagged pair
//! with the two submissions side by side and their shared fragments marked in the same colour
//! on both sides.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::Result;

use super::Joined;
use super::dolos::{Found, FoundPair, Fragment, Region};
use crate::files::write_atomically;
use crate::gradebook::summary::{csv_writer, finish};

/// The fewest k-grams a fragment has for the pair's page to show it.
const FRAGMENT_SHOWN: usize = 5;

/// What the terminal shows of the report.
pub struct Pairs {
    pub total: usize,
    /// A line per flagged pair, most similar first.
    pub flagged: Vec<String>,
}

/// A pair as the report shows it: students in name order, fragments turned to match.
struct Ranked<'a> {
    lab: &'a str,
    left: &'a Joined,
    right: &'a Joined,
    similarity: f64,
    longest: u64,
    overlap: u64,
    fragments: Vec<Fragment>,
    flagged: bool,
}

impl Ranked<'_> {
    fn page(&self) -> String {
        format!(
            "similarity/{}/{}--{}.html",
            self.lab, self.left.student, self.right.student
        )
    }
}

pub fn write(out_dir: &Path, found: &Found, joined: &[Joined], threshold: f64) -> Result<Pairs> {
    let mut ranked: Vec<Ranked> = found
        .pairs
        .iter()
        .filter_map(|pair| rank(pair, joined, threshold))
        .collect();
    ranked.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then_with(|| a.lab.cmp(b.lab))
            .then_with(|| a.left.student.cmp(&b.left.student))
            .then_with(|| a.right.student.cmp(&b.right.student))
    });

    let mut csv = csv_writer();
    csv.write_record([
        "rank",
        "lab",
        "student_a",
        "student_b",
        "similarity",
        "longest_fragment",
        "shared_kgrams",
        "flagged",
        "report",
    ])?;
    let _ = fs::remove_dir_all(out_dir.join("similarity"));
    let mut flagged = Vec::new();
    for (index, pair) in ranked.iter().enumerate() {
        let page = if pair.flagged {
            let path = out_dir.join(pair.page());
            fs::create_dir_all(path.parent().expect("a page is in a folder"))?;
            write_atomically(&path, &pair_page(pair))?;
            flagged.push(format!(
                "{:.0} %  {}  {} and {}",
                pair.similarity * 100.0,
                pair.lab,
                pair.left.student,
                pair.right.student
            ));
            pair.page()
        } else {
            String::new()
        };
        csv.write_record([
            (index + 1).to_string(),
            pair.lab.to_string(),
            pair.left.student.clone(),
            pair.right.student.clone(),
            format!("{:.3}", pair.similarity),
            pair.longest.to_string(),
            pair.overlap.to_string(),
            pair.flagged.to_string(),
            page,
        ])?;
    }
    write_atomically(&out_dir.join("similarity.csv"), &finish(csv)?)?;
    write_atomically(
        &out_dir.join("similarity.html"),
        &ranking_page(&ranked, threshold),
    )?;
    Ok(Pairs {
        total: ranked.len(),
        flagged,
    })
}

fn rank<'a>(pair: &'a FoundPair, joined: &'a [Joined], threshold: f64) -> Option<Ranked<'a>> {
    let find = |path: &Path| joined.iter().find(|joined| joined.file == path);
    let (mut left, mut right) = (find(&pair.left)?, find(&pair.right)?);
    let mut fragments = pair.fragments.clone();
    if right.student < left.student {
        std::mem::swap(&mut left, &mut right);
        for fragment in &mut fragments {
            std::mem::swap(&mut fragment.left, &mut fragment.right);
        }
    }
    // The longest first; the shortest say little (a `match` arm, a `?`) and would only
    // colour the page.
    fragments.retain(|fragment| fragment.kgrams >= FRAGMENT_SHOWN);
    fragments.sort_by_key(|fragment| {
        (
            std::cmp::Reverse(fragment.kgrams),
            fragment.left.start_row,
            fragment.left.start_col,
        )
    });
    Some(Ranked {
        lab: &pair.lab,
        left,
        right,
        similarity: pair.similarity,
        longest: pair.longest,
        overlap: pair.overlap,
        fragments,
        flagged: pair.similarity >= threshold,
    })
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}\
table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}\
tr.flagged{background:#fff3cd}.sides{display:grid;grid-template-columns:1fr 1fr;gap:1em}\
pre{font-size:12px;line-height:1.35;overflow-x:auto;background:#fafafa;border:1px solid #ddd;padding:.5em;margin:0}\
.n{color:#999;user-select:none}mark{border-radius:2px}\
.f0{background:#ffd8a8}.f1{background:#b2f2bb}.f2{background:#a5d8ff}.f3{background:#eebefa}.f4{background:#ffec99}.f5{background:#c3fae8}";

fn ranking_page(ranked: &[Ranked], threshold: f64) -> String {
    let mut rows = String::new();
    for (index, pair) in ranked.iter().enumerate() {
        let pair_cell = if pair.flagged {
            format!(
                "<a href=\"{}\">{} and {}</a>",
                escape(&pair.page()),
                escape(&pair.left.student),
                escape(&pair.right.student)
            )
        } else {
            format!(
                "{} and {}",
                escape(&pair.left.student),
                escape(&pair.right.student)
            )
        };
        let _ = writeln!(
            rows,
            "<tr{}><td>{}</td><td>{}</td><td>{pair_cell}</td><td>{:.1} %</td><td>{}</td><td>{}</td></tr>",
            if pair.flagged {
                " class=\"flagged\""
            } else {
                ""
            },
            index + 1,
            escape(pair.lab),
            pair.similarity * 100.0,
            pair.longest,
            if pair.flagged { "flagged" } else { "" },
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Similarity</title><style>{STYLE}</style></head><body>\n\
         <h1>Similarity between submissions</h1>\n\
         <p>Every pair of students, lab by lab, compared by Dolos with the lab's stub left out. A pair with \
         {:.0} % or more of its code in common is flagged: open it and read the shared fragments before \
         concluding anything.</p>\n\
         <table><thead><tr><th>#</th><th>lab</th><th>pair</th><th>similarity</th><th>longest fragment (k-grams)</th><th></th></tr></thead>\n\
         <tbody>\n{rows}</tbody></table>\n</body></html>\n",
        threshold * 100.0
    )
}

fn pair_page(pair: &Ranked) -> String {
    let mut legend = String::new();
    for (index, fragment) in pair.fragments.iter().enumerate() {
        let _ = writeln!(
            legend,
            "<li><mark class=\"f{}\">fragment {}</mark> ({} k-grams): {} lines {}–{}, {} lines {}–{}</li>",
            index % 6,
            index + 1,
            fragment.kgrams,
            escape(&pair.left.student),
            fragment.left.start_row + 1,
            fragment.left.end_row + 1,
            escape(&pair.right.student),
            fragment.right.start_row + 1,
            fragment.right.end_row + 1,
        );
    }
    let left: Vec<Region> = pair.fragments.iter().map(|f| f.left).collect();
    let right: Vec<Region> = pair.fragments.iter().map(|f| f.right).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{lab}: {a} and {b}</title><style>{STYLE}</style></head><body>\n\
         <p><a href=\"../../similarity.html\">All pairs</a></p>\n\
         <h1>{lab}: {a} and {b}</h1>\n\
         <p>{similarity:.1} % of their code in common (the stub left out); the longest shared fragment \
         is {longest} k-grams. The {count} fragments of {FRAGMENT_SHOWN} k-grams or more, longest first:</p>\n\
         <ol class=\"fragments\">\n{legend}</ol>\n\
         <div class=\"sides\"><section><h2>{a}</h2>{left}</section><section><h2>{b}</h2>{right}</section></div>\n</body></html>\n",
        lab = escape(pair.lab),
        a = escape(&pair.left.student),
        b = escape(&pair.right.student),
        similarity = pair.similarity * 100.0,
        count = pair.fragments.len(),
        longest = pair.longest,
        left = marked_source(&pair.left.text, &left),
        right = marked_source(&pair.right.text, &right),
    )
}

/// A source as a `<pre>` with line numbers, each region wrapped in a `<mark>` of its
/// fragment's colour. Regions count columns in bytes, as tree-sitter does.
fn marked_source(text: &str, regions: &[Region]) -> String {
    let mut html = String::from("<pre>");
    for (row, line) in text.lines().enumerate() {
        // Which fragment each byte of the line belongs to, if any (a later one wins).
        let mut owner: Vec<Option<usize>> = vec![None; line.len()];
        for (index, region) in regions.iter().enumerate() {
            if row < region.start_row || row > region.end_row {
                continue;
            }
            let from = if row == region.start_row {
                region.start_col
            } else {
                0
            };
            let to = if row == region.end_row {
                region.end_col
            } else {
                line.len()
            };
            for slot in owner.iter_mut().take(to.min(line.len())).skip(from) {
                *slot = Some(index);
            }
        }
        let _ = write!(html, "<span class=\"n\">{:>4} </span>", row + 1);
        let mut start = 0;
        while start < line.len() {
            let mut end = start + 1;
            while end < line.len() && (owner[end] == owner[start] || !line.is_char_boundary(end)) {
                end += 1;
            }
            let piece = &line[start..end];
            match owner[start] {
                Some(index) => {
                    let _ = write!(
                        html,
                        "<mark class=\"f{}\" data-fragment=\"{}\">{}</mark>",
                        index % 6,
                        index + 1,
                        escape(piece)
                    );
                }
                None => html.push_str(&escape(piece)),
            }
            start = end;
        }
        html.push('\n');
    }
    html.push_str("</pre>");
    html
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_are_marked_on_their_rows_and_columns_and_the_rest_is_escaped() {
        let text = "fn a() {}\nlet x = 1 < 2;\nend\n";
        let region = Region {
            start_row: 0,
            start_col: 3,
            end_row: 1,
            end_col: 5,
        };
        let html = marked_source(text, &[region]);
        assert!(
            html.contains("fn <mark class=\"f0\" data-fragment=\"1\">a() {}</mark>"),
            "{html}"
        );
        assert!(
            html.contains("<mark class=\"f0\" data-fragment=\"1\">let x</mark> = 1 &lt; 2;"),
            "{html}"
        );
        assert!(html.contains("   3 </span>end\n"), "{html}");
    }
}
