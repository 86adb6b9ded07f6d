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
    // BEGIN SOLUTION
    const RECURSION_DESIRED: u16 = 0x0100;
    let mut message = Vec::with_capacity(12 + name.len() + 6);
    for field in [id, RECURSION_DESIRED, 1, 0, 0, 0] {
        message.extend_from_slice(&field.to_be_bytes());
    }
    message.extend_from_slice(&encode_name(name)?);
    message.extend_from_slice(&record_type.code().to_be_bytes());
    message.extend_from_slice(&CLASS_IN.to_be_bytes());
    Ok(message)
    // END SOLUTION
    // STUB: // TODO: the header (id, flags with only RD set, QDCOUNT 1, the other counts 0), then
    // STUB: // the question: the name as labels, QTYPE, QCLASS. Think about: the byte order, a name
    // STUB: // written with a final dot, and names DNS cannot carry. Read chapter 14, "A DNS message,
    // STUB: // byte by byte", and RFC 1035 §4.1.1–§4.1.2. Stuck? `cargo xtask hint 14`.
    // STUB: todo!()
}

/// Reads a response: the header, the question, and the answer section's A, AAAA and CNAME
/// records (others are kept as [`RecordData::Other`]); the authority and additional sections
/// are not read. Names may use compression pointers. Any byte sequence is safe to give: a
/// message that is cut short, loops, or does not add up is an error, never a panic.
pub fn parse_response(bytes: &[u8]) -> Result<Response, MessageError> {
    // BEGIN SOLUTION
    let mut reader = Reader { bytes, at: 0 };
    let id = reader.u16()?;
    let flags = reader.u16()?;
    let question_count = reader.u16()?;
    let answer_count = reader.u16()?;
    let _authority_count = reader.u16()?;
    let _additional_count = reader.u16()?;

    let mut question = None;
    for _ in 0..question_count {
        let name = reader.name()?;
        let record_type = RecordType::from_code(reader.u16()?);
        let _class = reader.u16()?;
        question.get_or_insert(Question { name, record_type });
    }
    let mut answers = Vec::new();
    for _ in 0..answer_count {
        answers.push(reader.record()?);
    }
    Ok(Response {
        id,
        is_response: flags & 0x8000 != 0,
        truncated: flags & 0x0200 != 0,
        rcode: Rcode::from_bits((flags & 0x000f) as u8),
        question,
        answers,
    })
    // END SOLUTION
    // STUB: // TODO: read the header's fields, then QDCOUNT questions and ANCOUNT records, as the
    // STUB: // doc comment says. Think about: names that end in a pointer, pointers that loop, counts
    // STUB: // and lengths that promise more bytes than there are, and the record types you skip.
    // STUB: // Design your own helpers for it. Read chapter 14, "A DNS message, byte by byte" and
    // STUB: // "Compression", and RFC 1035 §4.1.1, §4.1.3, §4.1.4. Stuck? `cargo xtask hint 14`.
    // STUB: todo!()
}

// BEGIN SOLUTION
/// Labels as `.`-separated text, the way this lab writes every name: no final dot, and `.`
/// for the root.
fn name_text(labels: &[String]) -> String {
    if labels.is_empty() {
        ".".to_string()
    } else {
        labels.join(".")
    }
}

/// The longest a label may be, and a name on the wire (RFC 1035 §2.3.4).
const MAX_LABEL: usize = 63;
const MAX_NAME: usize = 255;

/// `www.example.com` as `3 www 7 example 3 com 0`.
fn encode_name(name: &str) -> Result<Vec<u8>, MessageError> {
    let name = name.strip_suffix('.').unwrap_or(name);
    let mut wire = Vec::new();
    if !name.is_empty() {
        for label in name.split('.') {
            if label.is_empty() || label.len() > MAX_LABEL {
                return Err(MessageError::BadLabelLength);
            }
            wire.push(label.len() as u8);
            wire.extend_from_slice(label.as_bytes());
        }
    }
    wire.push(0);
    if wire.len() > MAX_NAME {
        return Err(MessageError::NameTooLong);
    }
    Ok(wire)
}

/// A cursor over a message: every read checks that the bytes are there.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    /// `len` bytes from the cursor, which moves past them.
    fn take(&mut self, len: usize) -> Result<&[u8], MessageError> {
        let end = self
            .at
            .checked_add(len)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(MessageError::CutShort { at: self.at })?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn u16(&mut self) -> Result<u16, MessageError> {
        let bytes = self.take(2)?;
        Ok(u16::from_be_bytes([bytes[0], bytes[1]]))
    }

    fn u32(&mut self) -> Result<u32, MessageError> {
        let bytes = self.take(4)?;
        Ok(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    /// A name at the cursor, following pointers; the cursor moves past the name's bytes
    /// here (a pointer's two bytes), not past the bytes it points at.
    fn name(&mut self) -> Result<String, MessageError> {
        let (labels, end) = read_name(self.bytes, self.at)?;
        self.at = end;
        Ok(name_text(&labels))
    }

    /// One resource record: name, type, class, TTL, data length, data.
    fn record(&mut self) -> Result<Record, MessageError> {
        let start = self.at;
        let name = self.name()?;
        let record_type = RecordType::from_code(self.u16()?);
        let _class = self.u16()?;
        let ttl = self.u32()?;
        let data_length = usize::from(self.u16()?);
        let data_start = self.at;
        let data = self.take(data_length)?;
        let data = match record_type {
            RecordType::A => RecordData::A(Ipv4Addr::from(
                <[u8; 4]>::try_from(data)
                    .map_err(|_| MessageError::BadRecordLength { at: start })?,
            )),
            RecordType::Aaaa => RecordData::Aaaa(Ipv6Addr::from(
                <[u8; 16]>::try_from(data)
                    .map_err(|_| MessageError::BadRecordLength { at: start })?,
            )),
            RecordType::Cname => {
                // The alias's target may itself use pointers into the rest of the message,
                // but it must end inside the record's data.
                let (labels, end) = read_name(self.bytes, data_start)?;
                if end != self.at {
                    return Err(MessageError::BadRecordLength { at: start });
                }
                RecordData::Cname(name_text(&labels))
            }
            other => RecordData::Other(other),
        };
        Ok(Record { name, ttl, data })
    }
}

/// The labels of the name that starts at `start`, and where the name's own bytes end.
/// Pointers may only point backwards, to an earlier offset than the one they are at (names a
/// server compresses always appeared before): that guard alone makes every loop impossible,
/// and the hop count bounds the work anyway.
fn read_name(message: &[u8], start: usize) -> Result<(Vec<String>, usize), MessageError> {
    let mut labels = Vec::new();
    let mut wire_length = 1;
    let mut at = start;
    let mut end = None;
    let mut hops = 0;
    loop {
        let length = *message.get(at).ok_or(MessageError::CutShort { at })?;
        match length >> 6 {
            0b00 if length == 0 => {
                return Ok((labels, end.unwrap_or(at + 1)));
            }
            0b00 => {
                let label = message
                    .get(at + 1..at + 1 + usize::from(length))
                    .ok_or(MessageError::CutShort { at: at + 1 })?;
                wire_length += 1 + label.len();
                if wire_length > MAX_NAME {
                    return Err(MessageError::NameTooLong);
                }
                labels.push(String::from_utf8_lossy(label).into_owned());
                at += 1 + label.len();
            }
            0b11 => {
                let low = *message
                    .get(at + 1)
                    .ok_or(MessageError::CutShort { at: at + 1 })?;
                let target = usize::from(u16::from_be_bytes([length & 0x3f, low]));
                hops += 1;
                if target >= at || hops > MAX_NAME / 2 {
                    return Err(MessageError::PointerLoop { at });
                }
                end.get_or_insert(at + 2);
                at = target;
            }
            _ => return Err(MessageError::BadLabel { at }),
        }
    }
}
// END SOLUTION
