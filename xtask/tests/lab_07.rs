//! Lab 07 (a local web server): realistic wrong solutions, graded through the real
//! pipeline, each costing some points but not all.

mod support;

#[test]
fn lab_07_catches_a_traversal_check_made_before_percent_decoding() {
    let failed = support::grade_wrong_solution(
        "07-web-server",
        "files.rs",
        "    let decoded = percent_decode(target_path)?;\n    let relative = relative_path(&decoded)?;\n",
        "    let relative = relative_path(target_path)?;\n    let decoded = percent_decode(&relative.to_string_lossy())?;\n    let relative = PathBuf::from(&decoded);\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_07_catches_a_content_length_trusted_without_a_limit() {
    let failed = support::grade_wrong_solution(
        "07-web-server",
        "body.rs",
        "    if length > MAX_BODY {\n        return Err(HttpError::new(\n            Status::ContentTooLarge,\n            format!(\"a body of {length} bytes; this server takes at most {MAX_BODY}\"),\n        ));\n    }\n",
        "",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_07_catches_header_names_compared_case_sensitively() {
    let failed = support::grade_wrong_solution(
        "07-web-server",
        "request.rs",
        ".filter(move |(field_name, _)| field_name.eq_ignore_ascii_case(name))",
        ".filter(move |(field_name, _)| field_name == name)",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_07_catches_a_connection_kept_open_after_connection_close() {
    let failed = support::grade_wrong_solution(
        "07-web-server",
        "connection.rs",
        "    if request.headers.has_token(\"Connection\", \"close\") {\n        return false;\n    }\n",
        "",
    );
    insta::assert_snapshot!(failed);
}
