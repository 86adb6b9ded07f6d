//! Payloads: pseudo-random bytes that are cheap to make and to check, and short
//! descriptions of bytes for transcripts.

/// `len` pseudo-random bytes, the same for the same seed every time, so that nothing has
/// to be stored: byte `i` is computed from `seed` and `i`.
#[derive(Debug, Clone, Copy)]
pub struct Payload {
    seed: u64,
    len: u64,
}

impl Payload {
    pub fn new(seed: u64, len: u64) -> Payload {
        Payload { seed, len }
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The 8 bytes starting at byte `8 * word` (SplitMix64 of the seed and the word's index).
    fn word(&self, word: u64) -> [u8; 8] {
        let mut z = self
            .seed
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(word.wrapping_mul(0xBF58_476D_1CE4_E5B9))
            .wrapping_add(1);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)).to_le_bytes()
    }

    /// Fills `buffer` with the payload's bytes from `offset` on. The caller keeps within `len`.
    pub fn fill(&self, offset: u64, buffer: &mut [u8]) {
        let mut position = offset;
        let mut filled = 0;
        while filled < buffer.len() {
            let word = self.word(position / 8);
            let start = (position % 8) as usize;
            let take = (8 - start).min(buffer.len() - filled);
            buffer[filled..filled + take].copy_from_slice(&word[start..start + take]);
            filled += take;
            position += take as u64;
        }
    }

    /// The payload's bytes from `offset`, at most `len` of them.
    pub fn chunk(&self, offset: u64, len: usize) -> Vec<u8> {
        let len = len.min(self.len.saturating_sub(offset) as usize);
        let mut bytes = vec![0; len];
        self.fill(offset, &mut bytes);
        bytes
    }
}

/// Compares bytes received, piece by piece, with a payload.
#[derive(Debug, Clone)]
pub struct Checker {
    payload: Payload,
    /// How many bytes were received.
    pub received: u64,
    /// The offset of the first received byte that is not the payload's, if any. Bytes
    /// received past the payload's end count as different.
    pub first_difference: Option<u64>,
    expected: Vec<u8>,
}

impl Checker {
    pub fn new(payload: Payload) -> Checker {
        Checker {
            payload,
            received: 0,
            first_difference: None,
            expected: Vec::new(),
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        if self.first_difference.is_none() {
            self.expected.resize(bytes.len(), 0);
            let within =
                (self.payload.len().saturating_sub(self.received) as usize).min(bytes.len());
            self.payload
                .fill(self.received, &mut self.expected[..within]);
            if bytes[..within] != self.expected[..within] {
                let index = (0..within)
                    .find(|&i| bytes[i] != self.expected[i])
                    .expect("slices differ somewhere");
                self.first_difference = Some(self.received + index as u64);
            } else if within < bytes.len() {
                self.first_difference = Some(self.received + within as u64);
            }
        }
        self.received += bytes.len() as u64;
    }

    /// Everything received, nothing missing, nothing different.
    pub fn is_complete_and_identical(&self) -> bool {
        self.first_difference.is_none() && self.received == self.payload.len()
    }

    /// One sentence on what was received, compared with the payload.
    pub fn verdict(&self) -> String {
        let expected = self.payload.len();
        match self.first_difference {
            None if self.received == expected => match expected {
                1 => "1 byte, identical".to_string(),
                _ => format!("{expected} bytes, identical"),
            },
            None => format!(
                "{} of the {expected} bytes, identical so far, {} missing",
                self.received,
                expected - self.received
            ),
            Some(offset) if offset >= expected => format!(
                "{} bytes: the {expected} bytes sent, then {} more that were never sent",
                self.received,
                self.received - expected
            ),
            Some(offset) => format!(
                "{} bytes, different from what was sent from byte {offset} on",
                self.received
            ),
        }
    }
}

/// Bytes as a transcript shows them: a short line of text in quotes, anything else as a size.
pub fn show(bytes: &[u8]) -> String {
    let is_text = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| !c.is_control() || c == '\n' || c == '\t')
    };
    match std::str::from_utf8(bytes) {
        Ok(text) if bytes.len() <= 60 && is_text(text) => format!("{text:?}"),
        _ if bytes.len() == 1 => "1 byte".to_string(),
        _ => format!("{} bytes", bytes.len()),
    }
}
