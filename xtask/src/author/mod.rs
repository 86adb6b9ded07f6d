//! The lab authors' tools: `verify` (is the course ready to ship?), `new-lab` (a new lab
//! from the template) and `bless` (the snapshots and `stub.lock`, from the reference
//! solutions). `generate` makes each lab's stub from its marked reference solution; `stub`
//! reads and records a lab's starting code, for `bless`, `verify`, `list` and `reset`.

pub mod bless;
pub mod generate;
mod new_lab;
pub mod stub;
mod verify;

pub use bless::BlessArgs;
pub use new_lab::NewLabArgs;
pub use verify::VerifyArgs;
