# The JSON report of `cargo xtask grade` → one result for the GitHub Classroom autograding
# reporter: every test with its points, and the feedback on a failure as its message.
{
  version: 1,
  status: (if .score >= .max_score then "pass" else "fail" end),
  max_score: .max_score,
  tests: [
    .labs[] as $lab
    | $lab.tests[]
    | {
        name: "\($lab.id) / \(.name)",
        status: (if .status == "passed" then "pass" else "fail" end),
        score: .score,
        message: ([$lab.message, .output, (.hint // "")] | map(select(. != "")) | join("\n"))
      }
  ]
}
