//! The capture as a file: the pcap format that tcpdump, Wireshark and tshark read.
//!
//! A pcap file (the "libpcap" format, IETF draft-ietf-opsawg-pcap) is a 24-byte global header
//! (a magic number, the version, the largest frame kept, and the **link type**: 1,
//! LINKTYPE_ETHERNET, says each record is an Ethernet frame) followed by one record per frame:
//! its timestamp (seconds and microseconds), the length kept, the length on the wire, and the
//! bytes. The `pcap-file` crate writes and reads both; `tcpdump -nn -r FILE` prints them.

use std::io::{self, Read, Write};

use crate::capture::Frame;

/// Writes `frames` to `output` as a pcap file of Ethernet frames, with their timestamps (kept
/// to the microsecond).
pub fn write_pcap(output: impl Write, frames: &[Frame]) -> io::Result<()> {
    // TODO: write the global header (link type Ethernet) and one record per frame with
    // `pcap_file::pcap::PcapWriter`. Think about: what the crate's errors become here.
    // Read chapter 13, "Saving a capture", and pcap-file's `PcapWriter::with_header`.
    // Then `cargo xtask hint 13`.
    todo!()
}

/// Reads a pcap file of Ethernet frames; a file that is not pcap, or of another link type, is
/// an error of kind `InvalidData`.
pub fn read_pcap(input: impl Read) -> io::Result<Vec<Frame>> {
    // TODO: read every record back with `pcap_file::pcap::PcapReader`, after checking the
    // link type. Then `cargo xtask hint 13`.
    todo!()
}
