//! The lab authors' tools: `verify` (is the course ready to ship?) and `new-lab` (a new lab
//! from the template). `bless`, which writes snapshots, has its own module next to `grade`.

pub mod bless;
mod new_lab;
pub mod stub;
mod verify;

pub use bless::BlessArgs;
pub use new_lab::NewLabArgs;
pub use verify::VerifyArgs;
