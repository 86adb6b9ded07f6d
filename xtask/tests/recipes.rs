//! The recipes for grading a class past one machine (`deploy/`), run as far as this machine
//! allows: each recipe's own command lines, with the environment its engine gives them — a
//! Kubernetes Indexed Job's `JOB_COMPLETION_INDEX`, a Slurm array's `SLURM_ARRAY_TASK_ID`,
//! a GitHub Actions matrix's `${{ matrix.shard }}` — on a small class, three shards each, then
//! their merge step; the merged gradebook must be the one a single run writes. The engines
//! themselves are not here; the image's tool list must be the one CI installs.

mod support;

use std::fs;
use std::path::Path;
use std::process::Command;

use support::{StudentCopy, copy_tree, repo};

/// Three students: one has lab 01 solved, one hands in the stubs, one has lab 05 solved.
fn class_folder() -> tempfile::TempDir {
    let class = tempfile::tempdir().unwrap();
    let put = |name: &str, copy: StudentCopy| copy.hand_in(class.path(), name);
    put("ann", StudentCopy::new().with_solution("01-ports"));
    put("bo", StudentCopy::new());
    put("cal", StudentCopy::new().with_solution("05-addresses"));
    class
}

fn xtask() -> &'static str {
    env!("CARGO_BIN_EXE_xtask")
}

/// Runs a recipe's shell line with `cargo xtask` standing for this grader.
fn sh(line: &str, env: &[(&str, &str)]) {
    let line = line.replace("cargo xtask", xtask());
    let output = Command::new("sh")
        .args(["-c", &line])
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{line}\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The lines of a recipe that hold `needle`, as written (YAML list items unwrapped).
fn lines_with(recipe: &str, needle: &str) -> Vec<String> {
    let text = fs::read_to_string(repo().join(recipe)).unwrap();
    let found: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|line| line.contains(needle) && !line.starts_with('#'))
        .map(|line| line.trim_start_matches("- ").to_string())
        .collect();
    assert!(!found.is_empty(), "{recipe} has no line with {needle:?}");
    found
}

fn gradebook(out: &Path) -> String {
    fs::read_to_string(out.join("gradebook.csv")).unwrap()
}

fn one_run(class: &Path, labs: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let status = Command::new(xtask())
        .arg("grade")
        .args(labs)
        .arg("--submissions")
        .arg(class)
        .arg("--out-dir")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    gradebook(out.path())
}

#[test]
fn the_kubernetes_and_github_actions_recipes_grade_in_shards_and_merge() {
    let class = class_folder();
    let expected = one_run(class.path(), &[]);

    // Kubernetes: the Job's pods share a volume mounted at /data.
    let data = tempfile::tempdir().unwrap();
    copy_tree(class.path(), &data.path().join("class"));
    let in_pod = |line: &str| {
        line.replace("$$", "$")
            .replace("/data", data.path().to_str().unwrap())
    };
    let grade = &lines_with("deploy/kubernetes/grade-class.yaml", "cargo xtask grade")[0];
    for index in ["0", "1", "2"] {
        sh(&in_pod(grade), &[("JOB_COMPLETION_INDEX", index)]);
    }
    let merge = &lines_with("deploy/kubernetes/merge-class.yaml", "gradebook merge")[0];
    sh(&in_pod(merge), &[]);
    assert_eq!(gradebook(&data.path().join("results/class")), expected);

    // GitHub Actions: each matrix job runs in a checkout holding class/.
    let checkout = tempfile::tempdir().unwrap();
    copy_tree(class.path(), &checkout.path().join("class"));
    let workflow = "deploy/github-actions/grade-class.yml";
    let shards = &lines_with(workflow, "shard: [")[0];
    let grade = &lines_with(workflow, "cargo xtask grade")[0];
    // The runner's user is not root: the recipe grades with sudo, which this test, as root
    // already, does without.
    let grade = grade.replace("sudo -E env \"PATH=$PATH\" ", "");
    for shard in shards
        .trim_start_matches("shard: [")
        .trim_end_matches(']')
        .split(", ")
    {
        let line = grade.replace("${{ matrix.shard }}", shard);
        sh(&format!("cd {:?} && {line}", checkout.path()), &[]);
    }
    let merge = &lines_with(workflow, "gradebook merge")[0];
    sh(&format!("cd {:?} && {merge}", checkout.path()), &[]);
    assert_eq!(gradebook(&checkout.path().join("results/class")), expected);
}

#[test]
fn the_slurm_recipe_grades_an_array_of_shards_and_merges() {
    let class = class_folder();
    let expected = one_run(class.path(), &["01"]);
    let results = tempfile::tempdir().unwrap();
    let env = [
        ("CLASS", class.path().to_str().unwrap()),
        ("RESULTS", results.path().to_str().unwrap()),
        ("XTASK", xtask()),
        ("LABS", "01"),
        ("SLURM_ARRAY_TASK_MIN", "1"),
    ];
    let script = repo().join("deploy/slurm/grade-class.sbatch");
    for task in ["1", "2", "3"] {
        let mut with_task = env.to_vec();
        with_task.push(("SLURM_ARRAY_TASK_ID", task));
        sh(&format!("bash {script:?}"), &with_task);
    }
    sh(
        &format!("bash {:?}", repo().join("deploy/slurm/merge-class.sbatch")),
        &env,
    );
    assert_eq!(gradebook(&results.path().join("class")), expected);
}

#[test]
fn the_grader_image_installs_the_tools_doctor_knows() {
    let dockerfile = fs::read_to_string(repo().join("deploy/Dockerfile")).unwrap();
    let listed = support::xtask(&["doctor", "--packages", "apt"]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let packages: Vec<&str> = listed.stdout.split_whitespace().collect();
    assert!(packages.len() >= 5, "{packages:?}");
    let install = dockerfile
        .split("apt-get install")
        .nth(1)
        .expect("the image installs Debian packages");
    for package in packages {
        assert!(
            install.split_whitespace().any(|word| word == package),
            "deploy/Dockerfile does not install {package}, which `cargo xtask doctor --packages apt` lists"
        );
    }
    assert!(dockerfile.contains("ENTRYPOINT [\"cargo\", \"xtask\"]"));
}
