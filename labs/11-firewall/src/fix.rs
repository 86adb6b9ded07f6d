//! The smallest fix: let the one service back in, and change nothing else.
//!
//! When a rule blocks a service, the quick fixes are the dangerous ones: `nft flush ruleset`
//! opens the whole host, and deleting the blocking rule opens everything else that rule
//! blocked too (a rule that drops 8000–8999 blocked a thousand ports, not one). The smallest
//! fix adds one rule that accepts exactly the service (its port, and its sources), placed
//! just before the rule that blocks it, so that it is met first:
//!
//! ```text
//! nft insert rule inet hardening input handle 7 tcp dport 8080 accept     before rule 7
//! nft add rule inet filter input tcp dport 8080 accept                    at the end
//! ```
//!
//! `insert … handle H` puts the new rule before rule H; `add` appends it after the last rule,
//! which is where it belongs when no rule matched and the chain's policy dropped the packet.
//! An `accept` ends only its own base chain: a fix in one table does not change what the
//! other tables decide.

use crate::decide::{Decision, Verdict};
use crate::policy::Allow;

/// The `nft` command (without the leading `nft`) that lets `service` in where `decision`
/// refused it: one rule that accepts exactly the service, inserted before the deciding rule,
/// or added at the end of the chain whose policy decided. `None` when the decision already
/// accepts (or no chain filters): there is nothing to fix.
pub fn smallest_fix(decision: &Decision, service: &Allow) -> Option<String> {
    // TODO: the one command that lets the service in, as the doc comment and the module comment
    // say. Think about: a rule that decided, and a policy that decided; a service for one
    // source only; a decision that already accepts. The fix must not open anything else. Read
    // chapter 11, "The smallest fix", and `man nft`, section RULES.
    todo!()
}
