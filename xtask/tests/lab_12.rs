//! Lab 12 (UDP over a bad link) graded with realistic mistakes: each one must cost some
//! points, not all, and the snapshot records which tests caught it.

mod support;

const LAB: &str = "12-udp";

#[test]
fn lab_12_catches_a_client_that_never_retries() {
    // UDP never sends anything again: one lost request or answer and the call fails.
    let failed = support::grade_wrong_solution(
        LAB,
        "client.rs",
        "        for _ in 0..self.policy.attempts {\n",
        "        for _ in 0..1 {\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_12_catches_a_client_that_retries_without_backoff() {
    // Every attempt waits first_timeout: a crowd of such clients keeps a busy server busy.
    let failed = support::grade_wrong_solution(
        LAB,
        "client.rs",
        "            timeout = timeout.saturating_mul(self.policy.factor);\n",
        "",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_12_catches_a_client_that_takes_any_answer() {
    // A late or duplicated answer to the previous call is taken for the current one.
    let failed = support::grade_wrong_solution(
        LAB,
        "client.rs",
        "                Ok(answer) if answer.kind == Kind::Response && answer.id == id => {\n",
        "                Ok(answer) if answer.kind == Kind::Response => {\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_12_catches_a_server_without_duplicate_suppression() {
    // Every copy of a request (a duplicate, a retry after a lost answer) is applied again.
    let failed = support::grade_wrong_solution(
        LAB,
        "server.rs",
        "        if let Some(answer) = self.remembered_answer(from, request.id) {\n            return Some(answer.to_vec());\n        }\n",
        "",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_12_catches_a_server_whose_memory_grows_without_end() {
    let failed = support::grade_wrong_solution(
        LAB,
        "server.rs",
        "            self.answered.pop_front();\n",
        "",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_12_catches_a_decoder_that_trusts_the_length_field() {
    // The length field is a claim: slicing by it panics on a datagram that lies.
    let failed = support::grade_wrong_solution(
        LAB,
        "protocol.rs",
        "        if said != body.len() {\n            return Err(DecodeError::WrongLength {\n                said,\n                carried: body.len(),\n            });\n        }\n        Ok(Message {\n            kind,\n            id,\n            body: body.to_vec(),\n        })\n",
        "        Ok(Message {\n            kind,\n            id,\n            body: body[..said].to_vec(),\n        })\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_12_catches_a_receive_that_reports_only_what_it_copied() {
    // Without MSG_TRUNC, recvfrom returns the bytes copied, not the datagram's size.
    let failed = support::grade_wrong_solution(
        LAB,
        "datagram.rs",
        "recv_from_with_flags(as_uninit(buffer), libc::MSG_TRUNC)?;\n",
        "recv_from_with_flags(as_uninit(buffer), 0)?;\n",
    );
    insta::assert_snapshot!(failed);
}

#[test]
fn lab_12_catches_a_payload_size_that_forgets_the_udp_header() {
    let failed = support::grade_wrong_solution(
        LAB,
        "datagram.rs",
        "    packet.saturating_sub(UDP_HEADER)\n",
        "    packet\n",
    );
    insta::assert_snapshot!(failed);
}
