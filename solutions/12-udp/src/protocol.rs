//! The wire format: what one request or one answer looks like as the bytes of a datagram.
//!
//! UDP keeps the boundaries of a message, so the protocol needs no delimiter: one datagram is
//! one message. It does need an **id**. A client that sends a request again (because the
//! first copy or its answer was lost) must be able to tell which request an answer belongs
//! to, and the server must be able to tell a copy of a request it has already applied from a
//! new one. Every message is a fixed header and a body:
//!
//! ```text
//!  byte 0        1  2  3  4        5  6        7 …
//!  ┌──────────┬─────────────────┬───────────┬──────────────────────┐
//!  │ kind     │ id (u32, big-   │ length of │ body: exactly        │
//!  │ 1 or 2   │ endian)         │ the body  │ `length` bytes       │
//!  └──────────┴─────────────────┴───────────┴──────────────────────┘
//!   1 = request, 2 = response      (u16, big-endian)
//! ```
//!
//! Numbers on the wire are **big-endian** ("network byte order", RFC 1700): the most
//! significant byte first, whatever the machine's own order.
//!
//! A datagram comes from anyone who can reach the port: a client with a bug, a scanner, an
//! attacker. A decoder must never trust it. The length field in particular is a claim, not a
//! fact: a datagram whose length says more (or less) than it carries is rejected, never read
//! past its end.

use std::fmt;

/// How many bytes the header takes: the kind, the id, the length.
pub const HEADER_LEN: usize = 7;

/// The largest body a message may carry: a whole message then fits in one packet on any
/// IPv6 link (1280 bytes, less 40 for IPv6, 8 for UDP and 7 for the header, rounded down).
pub const MAX_BODY: usize = 1200;

/// What a message is: a request, or the response to one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Byte 1 on the wire.
    Request,
    /// Byte 2 on the wire.
    Response,
}

/// One message: a request or a response, its id, its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: Kind,
    /// Chosen by the client; a response carries the id of the request it answers.
    pub id: u32,
    /// What the request asks or the response answers (text, for the counter). At most
    /// [`MAX_BODY`] bytes.
    pub body: Vec<u8>,
}

/// Why a datagram is not a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Fewer bytes than a header.
    TooShort { size: usize },
    /// The first byte is neither 1 (request) nor 2 (response).
    UnknownKind(u8),
    /// The length field says `said` bytes of body, the datagram carries `carried`.
    WrongLength { said: usize, carried: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::TooShort { size } => {
                write!(
                    f,
                    "{size} bytes is too short for a header ({HEADER_LEN} bytes)"
                )
            }
            DecodeError::UnknownKind(kind) => write!(f, "unknown kind {kind}"),
            DecodeError::WrongLength { said, carried } => write!(
                f,
                "the length field says {said} bytes of body, the datagram carries {carried}"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

impl Message {
    /// A request with this id and body.
    pub fn request(id: u32, body: &[u8]) -> Message {
        Message {
            kind: Kind::Request,
            id,
            body: body.to_vec(),
        }
    }

    /// A response with this id and body.
    pub fn response(id: u32, body: &[u8]) -> Message {
        Message {
            kind: Kind::Response,
            id,
            body: body.to_vec(),
        }
    }

    /// The message as the bytes of one datagram, in the format of the module's diagram: the
    /// kind byte, the id and the body's length big-endian, then the body. The body is at most
    /// [`MAX_BODY`] bytes (the caller's job).
    pub fn encode(&self) -> Vec<u8> {
        // BEGIN SOLUTION
        let kind: u8 = match self.kind {
            Kind::Request => 1,
            Kind::Response => 2,
        };
        let length = u16::try_from(self.body.len()).expect("a body is at most MAX_BODY bytes");
        let mut bytes = Vec::with_capacity(HEADER_LEN + self.body.len());
        bytes.push(kind);
        bytes.extend_from_slice(&self.id.to_be_bytes());
        bytes.extend_from_slice(&length.to_be_bytes());
        bytes.extend_from_slice(&self.body);
        bytes
        // END SOLUTION
        // STUB: // TODO: write the header (kind, id, body length) and the body, as the module's
        // STUB: // diagram shows. Think about: the byte order of numbers on the wire, and how many
        // STUB: // bytes each field takes. Read chapter 12, "A request, an answer and an id", and
        // STUB: // `u32::to_be_bytes`. Stuck? `cargo xtask hint 12`.
        // STUB: todo!()
    }

    /// Reads one datagram as a message, or says why it is not one. It never panics, whatever
    /// the bytes: a datagram shorter than a header, an unknown kind, and a length field that
    /// does not match the bytes that follow it (more or fewer) are errors.
    pub fn decode(datagram: &[u8]) -> Result<Message, DecodeError> {
        // BEGIN SOLUTION
        let Some((header, body)) = datagram.split_first_chunk::<HEADER_LEN>() else {
            return Err(DecodeError::TooShort {
                size: datagram.len(),
            });
        };
        let kind = match header[0] {
            1 => Kind::Request,
            2 => Kind::Response,
            other => return Err(DecodeError::UnknownKind(other)),
        };
        let id = u32::from_be_bytes([header[1], header[2], header[3], header[4]]);
        let said = usize::from(u16::from_be_bytes([header[5], header[6]]));
        if said != body.len() {
            return Err(DecodeError::WrongLength {
                said,
                carried: body.len(),
            });
        }
        Ok(Message {
            kind,
            id,
            body: body.to_vec(),
        })
        // END SOLUTION
        // STUB: // TODO: read the header and the body, as the doc comment and the module's diagram
        // STUB: // say. Think about: every datagram a stranger could send (empty, cut short, a first
        // STUB: // byte that is no kind, a length that lies in either direction): each must be an
        // STUB: // error, and none may make the program panic (slicing past the end does). Read
        // STUB: // chapter 12, "Never trust a datagram", and `slice::split_first_chunk`. Stuck?
        // STUB: // `cargo xtask hint 12`.
        // STUB: todo!()
    }
}
