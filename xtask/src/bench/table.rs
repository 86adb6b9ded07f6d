//! The benchmark's result: one row per figure, with its ratio and its goal when it has them.

use std::time::Duration;

/// What a ratio or a figure should be.
#[derive(Debug, Clone, Copy)]
pub enum Goal {
    /// The ratio is at most this (e.g. grading takes at most 1.3× as long as cargo test).
    RatioAtMost(f64),
    /// The ratio is at least this (e.g. the batch is at least 8× faster).
    RatioAtLeast(f64),
    /// The figure, in MiB, is below this.
    MebibytesBelow(f64),
}

impl Goal {
    fn is_met(self, ratio: Option<f64>, mebibytes: Option<f64>) -> Option<bool> {
        match self {
            Goal::RatioAtMost(most) => ratio.map(|ratio| ratio <= most),
            Goal::RatioAtLeast(least) => ratio.map(|ratio| ratio >= least),
            Goal::MebibytesBelow(limit) => mebibytes.map(|mebibytes| mebibytes < limit),
        }
    }

    fn describe(self) -> String {
        match self {
            Goal::RatioAtMost(most) => format!("≤ {most}×"),
            Goal::RatioAtLeast(least) => format!("≥ {least}×"),
            Goal::MebibytesBelow(limit) => format!("< {limit} MiB"),
        }
    }
}

/// One line of the table.
pub struct Row {
    measurement: String,
    figure: String,
    ratio: Option<f64>,
    mebibytes: Option<f64>,
    goal: Option<Goal>,
}

impl Row {
    /// A time.
    pub fn time(measurement: impl Into<String>, time: Duration) -> Row {
        Row {
            measurement: measurement.into(),
            figure: format_duration(time),
            ratio: None,
            mebibytes: None,
            goal: None,
        }
    }

    /// A peak memory, from KiB.
    pub fn memory(measurement: impl Into<String>, kib: u64) -> Row {
        let mebibytes = kib as f64 / 1024.0;
        Row {
            measurement: measurement.into(),
            figure: format!("{mebibytes:.1} MiB"),
            ratio: None,
            mebibytes: Some(mebibytes),
            goal: None,
        }
    }

    pub fn with_ratio(self, ratio: f64) -> Row {
        Row {
            ratio: Some(ratio),
            ..self
        }
    }

    pub fn with_goal(self, goal: Goal) -> Row {
        Row {
            goal: Some(goal),
            ..self
        }
    }

    fn cells(&self) -> [String; 5] {
        let met = self
            .goal
            .and_then(|goal| goal.is_met(self.ratio, self.mebibytes));
        [
            self.measurement.clone(),
            self.figure.clone(),
            self.ratio
                .map(|ratio| format!("{ratio:.2}×"))
                .unwrap_or_default(),
            self.goal.map(Goal::describe).unwrap_or_default(),
            match met {
                Some(true) => "yes".to_string(),
                Some(false) => "NO".to_string(),
                None => String::new(),
            },
        ]
    }
}

const HEADER: [&str; 5] = ["measurement", "figure", "ratio", "goal", "met"];

/// The rows as a text table, columns padded to their widest cell.
pub fn render(rows: &[Row]) -> String {
    let lines: Vec<[String; 5]> = std::iter::once(HEADER.map(String::from))
        .chain(rows.iter().map(Row::cells))
        .collect();
    let widths: Vec<usize> = (0..HEADER.len())
        .map(|column| {
            lines
                .iter()
                .map(|cells| cells[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for cells in &lines {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, &width)| {
                let padding = width - cell.chars().count();
                format!("{cell}{}", " ".repeat(padding))
            })
            .collect();
        text.push_str(padded.join("  ").trim_end());
        text.push('\n');
    }
    text
}

/// `8.4 s` under a minute, `12 min 05 s` above.
pub fn format_duration(time: Duration) -> String {
    let seconds = time.as_secs_f64();
    if seconds < 60.0 {
        format!("{seconds:.1} s")
    } else {
        let whole = time.as_secs();
        format!("{} min {:02} s", whole / 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_in_seconds_then_minutes() {
        assert_eq!(format_duration(Duration::from_millis(8_449)), "8.4 s");
        assert_eq!(format_duration(Duration::from_secs(725)), "12 min 05 s");
    }

    #[test]
    fn the_table_aligns_its_columns_and_says_which_goals_are_met() {
        let rows = [
            Row::time("cargo test", Duration::from_secs(10)),
            Row::time("grade", Duration::from_secs(12))
                .with_ratio(1.2)
                .with_goal(Goal::RatioAtMost(1.3)),
            Row::time("batch", Duration::from_secs(100))
                .with_ratio(7.5)
                .with_goal(Goal::RatioAtLeast(8.0)),
            Row::memory("peak memory", 20 * 1024).with_goal(Goal::MebibytesBelow(100.0)),
        ];
        assert_eq!(
            render(&rows),
            "\
measurement  figure      ratio  goal       met
cargo test   10.0 s
grade        12.0 s      1.20×  ≤ 1.3×     yes
batch        1 min 40 s  7.50×  ≥ 8×       NO
peak memory  20.0 MiB           < 100 MiB  yes
"
        );
    }
}
