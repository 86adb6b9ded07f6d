//! The capture as a file: the pcap format that tcpdump, Wireshark and tshark read.
//!
//! A pcap file (the "libpcap" format, IETF draft-ietf-opsawg-pcap) is a 24-byte global header
//! (a magic number, the version, the largest frame kept, and the **link type**: 1,
//! LINKTYPE_ETHERNET, says each record is an Ethernet frame) followed by one record per frame:
//! its timestamp (seconds and microseconds), the length kept, the length on the wire, and the
//! bytes. The `pcap-file` crate writes and reads both; `tcpdump -nn -r FILE` prints them.

use std::io::{self, Read, Write};

use crate::capture::Frame;
// BEGIN SOLUTION
use pcap_file::DataLink;
use pcap_file::pcap::{PcapHeader, PcapPacket, PcapReader, PcapWriter};

use crate::capture::SNAPSHOT_LENGTH;
// END SOLUTION

/// Writes `frames` to `output` as a pcap file of Ethernet frames, with their timestamps (kept
/// to the microsecond).
pub fn write_pcap(output: impl Write, frames: &[Frame]) -> io::Result<()> {
    // BEGIN SOLUTION
    let header = PcapHeader {
        datalink: DataLink::ETHERNET,
        snaplen: SNAPSHOT_LENGTH as u32,
        ..PcapHeader::default()
    };
    let mut writer = PcapWriter::with_header(output, header).map_err(io::Error::other)?;
    for frame in frames {
        let length = frame.bytes.len() as u32;
        let record = PcapPacket::new(frame.timestamp, length, &frame.bytes);
        writer.write_packet(&record).map_err(io::Error::other)?;
    }
    Ok(())
    // END SOLUTION
    // STUB: // TODO: write the global header (link type Ethernet) and one record per frame with
    // STUB: // `pcap_file::pcap::PcapWriter`. Think about: what the crate's errors become here.
    // STUB: // Read chapter 13, "Saving a capture", and pcap-file's `PcapWriter::with_header`.
    // STUB: // Then `cargo xtask hint 13`.
    // STUB: todo!()
}

/// Reads a pcap file of Ethernet frames; a file that is not pcap, or of another link type, is
/// an error of kind `InvalidData`.
pub fn read_pcap(input: impl Read) -> io::Result<Vec<Frame>> {
    // BEGIN SOLUTION
    let invalid = |error| io::Error::new(io::ErrorKind::InvalidData, error);
    let mut reader = PcapReader::new(input).map_err(invalid)?;
    if reader.header().datalink != DataLink::ETHERNET {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("link type {:?}, not Ethernet", reader.header().datalink),
        ));
    }
    let mut frames = Vec::new();
    while let Some(record) = reader.next_packet() {
        let record = record.map_err(invalid)?;
        frames.push(Frame {
            timestamp: record.timestamp,
            bytes: record.data.into_owned(),
        });
    }
    Ok(frames)
    // END SOLUTION
    // STUB: // TODO: read every record back with `pcap_file::pcap::PcapReader`, after checking the
    // STUB: // link type. Then `cargo xtask hint 13`.
    // STUB: todo!()
}
