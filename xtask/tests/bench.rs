//! `cargo xtask bench grade`: sizes that make no sense are refused at once, before anything
//! is built. (The benchmark itself takes minutes and its figures depend on the machine: it is
//! run by hand, never asserted here.)

mod support;

use support::xtask;

#[test]
fn a_sample_larger_than_the_class_is_refused_with_one_line() {
    let run = xtask(&["bench", "grade", "--class-size", "2", "--naive-sample", "3"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: --naive-sample must be from 1 to the class size (2), got 3\n"
    );
}

#[test]
fn an_empty_class_is_refused() {
    let run = xtask(&["bench", "grade", "--class-size", "0"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: invalid value '0' for '--class-size <N>'"),
        "{}",
        run.stderr
    );
}
