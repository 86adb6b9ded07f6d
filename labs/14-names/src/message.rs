//! DNS messages: the bytes a resolver sends and the bytes it gets back (RFC 1035 §4.1).
//!
//! A DNS query and its response have the same layout: a 12-byte **header**, then four
//! sections, each a count in the header followed by that many entries:
//!
//! ```text
//! +---------------------+
//! |        Header       |  id, flags (QR, opcode, AA, TC, RD, RA, rcode), four counts
//! +---------------------+
//! |       Question      |  the name and type asked for: www.example.com, A
//! +---------------------+
//! |        Answer       |  resource records (RRs) that answer it: name, type, class, TTL, data
//! +---------------------+
//! |      Authority      |  RRs pointing at the servers in charge (skipped here)
//! +---------------------+
//! |      Additional     |  RRs that may help (skipped here)
//! +---------------------+
//! ```
//!
//! A name travels as **labels**: each part of `www.example.com` is one length byte then that
//! many bytes, and a zero byte (the root) ends the name: `3 www 7 example 3 com 0`. To save
//! space, a response may write a name, or the end of one, as a **pointer** to where the same
//! labels already appeared: two bytes whose top two bits are `11`, the other 14 bits being an
//! offset from the start of the message (RFC 1035 §4.1.4). A parser must follow them, and it
//! must not trust them: a pointer can point at itself, and a length can run past the end.
//! Bytes from the network are hostile until checked, so every read here is bounds-checked and
//! a bad message is an error, never a panic.
//!
//! All numbers are big-endian ("network order", RFC 1035 §2.3.2).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The record types this lab asks for and reads (RFC 1035 §3.2.2, RFC 3596 §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordType {
    /// An IPv4 address (type 1).
    A,
    /// An IPv6 address (type 28).
    Aaaa,
    /// An alias: "this name is another name for …" (type 5).
    Cname,
    /// Any other type, by number: the parser skips its data.
    Other(u16),
}

impl RecordType {
    /// The type's number on the wire.
    pub fn code(self) -> u16 {
        match self {
            RecordType::A => 1,
            RecordType::Aaaa => 28,
            RecordType::Cname => 5,
            RecordType::Other(code) => code,
        }
    }

    /// The type a number on the wire stands for.
    pub fn from_code(code: u16) -> RecordType {
        match code {
            1 => RecordType::A,
            28 => RecordType::Aaaa,
            5 => RecordType::Cname,
            other => RecordType::Other(other),
        }
    }
}

/// `A`, `AAAA`, `CNAME`, or `TYPE99` (RFC 3597's way of writing an unknown type).
impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordType::A => write!(f, "A"),
            RecordType::Aaaa => write!(f, "AAAA"),
            RecordType::Cname => write!(f, "CNAME"),
            RecordType::Other(code) => write!(f, "TYPE{code}"),
        }
    }
}

/// The class of every record here: IN, the Internet (RFC 1035 §3.2.4).
pub const CLASS_IN: u16 = 1;

/// The response code, the header's last four bits (RFC 1035 §4.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rcode {
    /// 0: no error (the answer section may still be empty: "no data").
    NoError,
    /// 1: the server could not read the query.
    FormErr,
    /// 2: the server failed (e.g. the servers it asked did not answer properly).
    ServFail,
    /// 3: the name does not exist ("NXDOMAIN"), for any type.
    NxDomain,
    /// 4: the server does not do that kind of query.
    NotImp,
    /// 5: the server will not answer this client.
    Refused,
    /// Any other code.
    Other(u8),
}

impl Rcode {
    /// The code the four bits stand for.
    pub fn from_bits(bits: u8) -> Rcode {
        match bits {
            0 => Rcode::NoError,
            1 => Rcode::FormErr,
            2 => Rcode::ServFail,
            3 => Rcode::NxDomain,
            4 => Rcode::NotImp,
            5 => Rcode::Refused,
            other => Rcode::Other(other),
        }
    }
}

/// The question of a message: which name, which type (the class is always IN here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The name as text, without the final dot: `www.example.com` (the root is `.`).
    pub name: String,
    pub record_type: RecordType,
}

/// What a resource record says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordData {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    /// The name this one is an alias of.
    Cname(String),
    /// A record of another type, whose data is skipped.
    Other(RecordType),
}

/// One resource record of the answer section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The name the record is about (its owner), without the final dot.
    pub name: String,
    /// How many seconds a resolver may keep this record and use it again (RFC 1035 §3.2.1).
    pub ttl: u32,
    pub data: RecordData,
}

/// A response, with what a stub resolver needs of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The id of the query this answers: the same 16 bits the query carried.
    pub id: u16,
    /// The QR bit: set in a response, clear in a query.
    pub is_response: bool,
    /// The TC bit: the answer did not fit (in 512 bytes over UDP) and was cut; ask over TCP.
    pub truncated: bool,
    pub rcode: Rcode,
    /// The first question (a response repeats the query's), or `None` if it has none.
    pub question: Option<Question>,
    /// The answer section's records, in order.
    pub answers: Vec<Record>,
}

/// Why bytes are not a DNS message (or a name cannot be written in one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageError {
    /// The message ends before the field that starts at byte `at`.
    CutShort { at: usize },
    /// A compression pointer leads back where it already went (or too many in a row).
    PointerLoop { at: usize },
    /// A label starts with the reserved bits `01` or `10` (RFC 1035 §4.1.4 allows only `00`
    /// and `11`).
    BadLabel { at: usize },
    /// A label longer than 63 bytes, or an empty label inside a name (`a..b`).
    BadLabelLength,
    /// A name longer than 255 bytes on the wire (RFC 1035 §2.3.4).
    NameTooLong,
    /// A record whose data length does not fit its type (an A record of 3 bytes).
    BadRecordLength { at: usize },
}

impl fmt::Display for MessageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageError::CutShort { at } => write!(f, "the message ends before byte {at}"),
            MessageError::PointerLoop { at } => {
                write!(f, "the compression pointer at byte {at} loops")
            }
            MessageError::BadLabel { at } => {
                write!(f, "the label at byte {at} has a reserved type")
            }
            MessageError::BadLabelLength => {
                write!(f, "a label is empty or longer than 63 bytes")
            }
            MessageError::NameTooLong => write!(f, "a name is longer than 255 bytes"),
            MessageError::BadRecordLength { at } => {
                write!(
                    f,
                    "the record at byte {at} has a data length that does not fit its type"
                )
            }
        }
    }
}

impl std::error::Error for MessageError {}

/// The query for `name` and `record_type`, class IN, with `id` and the RD flag ("recursion
/// desired": please find the answer for me) set and every other flag clear, one question and
/// no other records: exactly the bytes RFC 1035 §4.1 describes, with no compression. `name`
/// may end with a dot (`www.example.com.` is the same name). A name DNS cannot carry (an
/// empty label, a label over 63 bytes, over 255 bytes in all) is an error.
pub fn build_query(id: u16, name: &str, record_type: RecordType) -> Result<Vec<u8>, MessageError> {
    // TODO: the header (id, flags with only RD set, QDCOUNT 1, the other counts 0), then
    // the question: the name as labels, QTYPE, QCLASS. Think about: the byte order, a name
    // written with a final dot, and names DNS cannot carry. Read chapter 14, "A DNS message,
    // byte by byte", and RFC 1035 §4.1.1–§4.1.2. Stuck? `cargo xtask hint 14`.
    todo!()
}

/// Reads a response: the header, the question, and the answer section's A, AAAA and CNAME
/// records (others are kept as [`RecordData::Other`]); the authority and additional sections
/// are not read. Names may use compression pointers. Any byte sequence is safe to give: a
/// message that is cut short, loops, or does not add up is an error, never a panic.
pub fn parse_response(bytes: &[u8]) -> Result<Response, MessageError> {
    // TODO: read the header's fields, then QDCOUNT questions and ANCOUNT records, as the
    // doc comment says. Think about: names that end in a pointer, pointers that loop, counts
    // and lengths that promise more bytes than there are, and the record types you skip.
    // Design your own helpers for it. Read chapter 14, "A DNS message, byte by byte" and
    // "Compression", and RFC 1035 §4.1.1, §4.1.3, §4.1.4. Stuck? `cargo xtask hint 14`.
    todo!()
}
