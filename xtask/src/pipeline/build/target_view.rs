//! What of the shared target folder a submission's build may see.
//!
//! Every lab of every submission is compiled into one target folder, so that dependencies
//! compile once. That folder also holds what earlier builds made of *other* code: the other
//! labs' libraries and programs (perhaps another student's), and every test executable, which
//! links the code of whoever was graded last. The compiler could read any of it with
//! `include_bytes!`. So while a submission's own code compiles, those files are covered (the
//! build wall mounts an empty file over each), and this lab's own last build is deleted when
//! its `src/` changed — cargo would compile it again anyway.

use std::fs;
use std::path::{Path, PathBuf};

use crate::course::Lab;
use crate::sandbox::stand_in_target;

/// The crate names of a lab's own code, as rustc names its files: the library
/// (`lab01_ports`) and the programs (`lab01-ports` and `src/bin/*`, as `lab01_ports`…).
fn own_code_names(lab: &Lab) -> Vec<String> {
    // The test standing in for the lab's tests links the lab's code too.
    let mut names = vec![lab.package.clone(), stand_in_target(&lab.package)];
    let bin_dir = lab.dir.join("src").join("bin");
    for entry in fs::read_dir(bin_dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        names.push(name.strip_suffix(".rs").unwrap_or(&name).to_string());
    }
    // Programs `Cargo.toml` names itself: `[[bin]] name = "probe"`.
    let manifest = fs::read_to_string(lab.dir.join("Cargo.toml")).unwrap_or_default();
    if let Ok(manifest) = toml::from_str::<toml::Table>(&manifest) {
        let bins = manifest.get("bin").and_then(toml::Value::as_array);
        for bin in bins.into_iter().flatten() {
            if let Some(name) = bin.get("name").and_then(toml::Value::as_str) {
                names.push(name.to_string());
            }
        }
    }
    let mut all: Vec<String> = names.iter().map(|name| name.replace('-', "_")).collect();
    all.extend(names);
    all.sort();
    all.dedup();
    all
}

/// The crate name of a file in `debug/deps` or `debug/`: `liblab01_ports-0123…cdef.rlib` →
/// `lab01_ports`, `ranges-0123…cdef` → `ranges`, `lab01-ports` → `lab01-ports`.
fn crate_of(file_name: &str) -> &str {
    let base = file_name.split('.').next().unwrap_or(file_name);
    let base = match base.rsplit_once('-') {
        Some((name, hash)) if hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            name
        }
        _ => base,
    };
    let is_library = [".rlib", ".rmeta", ".so"]
        .iter()
        .any(|extension| file_name.ends_with(extension));
    if is_library {
        base.strip_prefix("lib").unwrap_or(base)
    } else {
        base
    }
}

/// Whether a file of `debug/deps` is an executable: a test, or a lab's program (dependencies
/// leave only libraries there).
fn is_executable(path: &Path, file_name: &str) -> bool {
    !file_name.contains('.') && path.is_file()
}

/// The files the first build step of `lab` must not see, among those of `all_labs`' earlier
/// builds in `target_dir`: every test executable, and the other labs' own code.
pub fn covered_files(target_dir: &Path, lab: &Lab, all_labs: &[Lab]) -> Vec<PathBuf> {
    let own = own_code_names(lab);
    let others: Vec<String> = all_labs
        .iter()
        .filter(|other| other.id != lab.id)
        .flat_map(own_code_names)
        .collect();
    let mut covered = Vec::new();
    for dir in build_output_dirs(target_dir) {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let of = crate_of(&name);
            let is_other_lab = others.iter().any(|other| other == of);
            let is_test = dir.ends_with("deps")
                && is_executable(&path, &name)
                && !own.iter().any(|own| own == of);
            if (is_other_lab || is_test) && path.is_file() {
                covered.push(path);
            }
        }
    }
    covered
}

/// Deletes this lab's own last build (library and programs): called when its `src/`
/// changed, so that the compiler never sees what another submission's code compiled to.
pub fn forget_own_build(target_dir: &Path, lab: &Lab) {
    let own = own_code_names(lab);
    for dir in build_output_dirs(target_dir) {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if own.iter().any(|own| own == crate_of(&name)) && entry.path().is_file() {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// `debug/` and `debug/deps/` of the target folder: where rustc's outputs are.
fn build_output_dirs(target_dir: &Path) -> [PathBuf; 2] {
    let debug = target_dir.join("debug");
    [debug.join("deps"), debug]
}

#[cfg(test)]
mod tests {
    use super::crate_of;

    #[test]
    fn files_are_named_after_their_crate() {
        assert_eq!(
            crate_of("liblab01_ports-0123456789abcdef.rlib"),
            "lab01_ports"
        );
        assert_eq!(
            crate_of("liblab01_ports-0123456789abcdef.rmeta"),
            "lab01_ports"
        );
        assert_eq!(crate_of("ranges-0123456789abcdef"), "ranges");
        assert_eq!(crate_of("ranges-0123456789abcdef.d"), "ranges");
        assert_eq!(crate_of("lab01-ports"), "lab01-ports");
        assert_eq!(crate_of("liblab01_ports.rlib"), "lab01_ports");
        assert_eq!(crate_of("libtokio-0123456789abcdef.rlib"), "tokio");
    }
}
