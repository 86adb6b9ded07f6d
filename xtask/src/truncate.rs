//! Cutting text that the code under test or the compiler produced down to a size.
//!
//! A test can print without end and a build can fail with thousands of errors; the grader
//! keeps a bounded part of either, cut on a character boundary and marked as cut, so that a
//! report stays readable and its size stays bounded whatever the submission does.

/// Cuts `text` to at most `cap` bytes (on a character boundary) and says so.
pub fn cap_text(text: &str, cap: usize) -> String {
    if text.len() <= cap {
        return text.to_string();
    }
    let mut end = cap;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}\n… output truncated", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::cap_text;

    #[test]
    fn cuts_on_a_character_boundary_and_says_so() {
        assert_eq!(cap_text("héllo", 2), "h\n… output truncated");
        assert_eq!(cap_text("short", 64), "short");
    }
}
