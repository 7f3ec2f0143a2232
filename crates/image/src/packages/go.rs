//! Go binaries' build info: the module list the Go linker embeds in every executable it
//! builds with module support, the same data `go version -m BINARY` prints.
//!
//! The blob starts with the 14 bytes `\xff Go buildinf:` on a 16-byte boundary, at the start
//! of the `.go.buildinfo` section, which the Go linker puts in a writable segment. Section
//! headers sit at the end of an ELF file, so a stream cannot know where the section is until
//! it has passed it; the program headers come first, so [`BuildInfoScanner`] reads them and
//! searches only the writable `PT_LOAD` segments' bytes, stopping at the blob. Nothing of the
//! binary is held but its program headers and the blob.
//!
//! Since Go 1.18 the blob holds its two strings inline (a 32-byte header with flag bit 2 set,
//! then the Go version and the module text, each behind an unsigned LEB128 length). Older
//! binaries point into their data instead; those are reported as not read
//! ([`BuildInfo::PointerFormat`]).
//!
//! The module text is lines of tab-separated fields: `path` (the main package), `mod` (the
//! main module), `dep` (a dependency), `=>` (a replacement of the line before) and `build`
//! (settings). Each module becomes a package (`pkg:golang/MODULE@VERSION`), and the Go version
//! becomes `stdlib` (the standard library compiled in), as vulnerability scanners name it.
use super::{Ecosystem, Package};
use crate::layer::Scanner;

/// The first bytes of the build info blob.
pub const MAGIC: &[u8; 14] = b"\xff Go buildinf:";
const HEADER_LEN: usize = 32;
const ALIGN: u64 = 16;
/// Flag bit: the version and module strings follow the header inline (Go 1.18 and later).
const FLAG_INLINE: u8 = 2;
/// ELF and program headers must end within this many bytes (they follow the ELF header).
const MAX_HEADERS_END: u64 = 64 << 10;
/// Bytes of writable segments searched per file before giving up.
const MAX_SEARCHED: u64 = 16 << 20;
/// The longest blob kept: a version and a module list of thousands of lines.
pub const MAX_BLOB: usize = 4 << 20;

/// Whether a file could be a Go executable worth scanning: any execute bit, room for an ELF
/// header, and not named as a shared library (`*.so`, `*.so.N`): wheels ship those with
/// execute bits, some hundreds of megabytes, and Go programs are executables (a Go
/// `-buildmode=c-shared` library is the one thing this misses).
pub fn is_candidate(name: &str, mode: u32, size: u64) -> bool {
    mode & 0o111 != 0 && size >= 64 && !name.ends_with(".so") && !name.contains(".so.")
}

/// Finds the build info blob in an ELF file's bytes as they stream by; see the module doc.
#[derive(Debug, Default)]
pub struct BuildInfoScanner {
    /// File offset of the next byte fed.
    pos: u64,
    /// The file's first bytes, until its program headers are read.
    head: Vec<u8>,
    /// Where the program headers end, once the ELF header is read.
    headers_end: Option<u64>,
    /// File ranges of writable segments, sorted, not overlapping.
    ranges: Vec<(u64, u64)>,
    searched: u64,
    state: State,
}

#[derive(Debug, Default)]
enum State {
    #[default]
    Headers,
    Search,
    /// A candidate at a 16-byte boundary: the bytes of the magic read so far.
    Magic(Vec<u8>),
    /// The magic matched: the blob so far.
    Blob(Vec<u8>),
    Done(Option<Vec<u8>>),
}

impl BuildInfoScanner {
    pub fn new() -> BuildInfoScanner {
        BuildInfoScanner::default()
    }

    fn give_up(&mut self) {
        self.state = State::Done(None);
    }

    /// Takes bytes of the file's head until the program headers can be read.
    fn read_headers(&mut self, bytes: &[u8]) -> usize {
        let need = self.headers_end.unwrap_or(64) as usize;
        let take = need.saturating_sub(self.head.len()).min(bytes.len());
        self.head.extend_from_slice(&bytes[..take]);
        if self.head.len() < need {
            return take;
        }
        if self.headers_end.is_none() {
            match elf_headers_end(&self.head) {
                Some(end) if end <= MAX_HEADERS_END => self.headers_end = Some(end.max(64)),
                _ => {
                    self.give_up();
                    return take;
                }
            }
            // The program headers may need more bytes than the ELF header.
            return take + self.read_headers(&bytes[take..]);
        }
        match writable_ranges(&self.head) {
            Some(ranges) if !ranges.is_empty() => {
                self.ranges = ranges;
                self.state = State::Search;
                // A writable segment could start inside the head: search it too.
                let head = std::mem::take(&mut self.head);
                self.pos = 0;
                self.search(&head);
            }
            _ => self.give_up(),
        }
        take
    }

    /// Advances through `bytes`, which start at file offset `self.pos`.
    fn search(&mut self, bytes: &[u8]) {
        let start = self.pos;
        let end = start + bytes.len() as u64;
        let mut at = start;
        while at < end {
            match &mut self.state {
                State::Headers | State::Done(_) => break,
                State::Search => {
                    let Some(&(lo, hi)) = self.ranges.iter().find(|(_, hi)| *hi > at) else {
                        self.give_up();
                        break;
                    };
                    let Some(from) = at.max(lo).checked_next_multiple_of(ALIGN) else {
                        self.give_up();
                        break;
                    };
                    if from >= hi {
                        at = hi.max(at);
                        continue;
                    }
                    if from >= end {
                        break;
                    }
                    let stop = hi.min(end);
                    let found = (from..stop)
                        .step_by(ALIGN as usize)
                        .find(|o| bytes[(o - start) as usize] == MAGIC[0]);
                    let scanned_to = found.unwrap_or(stop);
                    self.searched += scanned_to - at.max(lo).min(scanned_to);
                    if self.searched > MAX_SEARCHED {
                        self.give_up();
                        break;
                    }
                    match found {
                        Some(o) => {
                            at = o;
                            self.state = State::Magic(Vec::with_capacity(MAGIC.len()));
                        }
                        None => at = stop,
                    }
                }
                State::Magic(seen) => {
                    let take = (MAGIC.len() - seen.len()).min((end - at) as usize);
                    let i = (at - start) as usize;
                    seen.extend_from_slice(&bytes[i..i + take]);
                    at += take as u64;
                    if seen.len() == MAGIC.len() {
                        if seen[..] == MAGIC[..] {
                            let blob = std::mem::take(seen);
                            self.state = State::Blob(blob);
                        } else {
                            // The next 16-byte boundary is past the bytes compared.
                            self.state = State::Search;
                        }
                    }
                }
                State::Blob(blob) => {
                    let i = (at - start) as usize;
                    let take = ((end - at) as usize).min(MAX_BLOB + 1 - blob.len().min(MAX_BLOB + 1));
                    blob.extend_from_slice(&bytes[i..i + take]);
                    at += take as u64;
                    match blob_len(blob) {
                        BlobLen::Complete(n) => {
                            blob.truncate(n);
                            let blob = std::mem::take(blob);
                            self.state = State::Done(Some(blob));
                        }
                        BlobLen::NeedMore if blob.len() <= MAX_BLOB => {}
                        _ => self.give_up(),
                    }
                }
            }
        }
        self.pos = end;
    }
}

impl Scanner for BuildInfoScanner {
    fn wants_more(&self) -> bool {
        !matches!(self.state, State::Done(_))
    }

    fn feed(&mut self, mut bytes: &[u8]) {
        if let State::Headers = self.state {
            let used = self.read_headers(bytes);
            bytes = &bytes[used..];
        }
        if matches!(self.state, State::Search | State::Magic(_) | State::Blob(_)) {
            self.search(bytes);
        }
    }

    fn finish(self: Box<Self>) -> Option<Vec<u8>> {
        match self.state {
            State::Done(blob) => blob,
            _ => None,
        }
    }
}

fn read_u16(b: &[u8], at: usize, big: bool) -> Option<u64> {
    let s: [u8; 2] = b.get(at..at + 2)?.try_into().ok()?;
    Some(u64::from(if big { u16::from_be_bytes(s) } else { u16::from_le_bytes(s) }))
}

fn read_u32(b: &[u8], at: usize, big: bool) -> Option<u64> {
    let s: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
    Some(u64::from(if big { u32::from_be_bytes(s) } else { u32::from_le_bytes(s) }))
}

fn read_u64(b: &[u8], at: usize, big: bool) -> Option<u64> {
    let s: [u8; 8] = b.get(at..at + 8)?.try_into().ok()?;
    Some(if big { u64::from_be_bytes(s) } else { u64::from_le_bytes(s) })
}

/// Class (64-bit?) and byte order (big-endian?) of an ELF file's first bytes.
fn elf_kind(head: &[u8]) -> Option<(bool, bool)> {
    if head.len() < 64 || &head[..4] != b"\x7fELF" {
        return None;
    }
    let wide = match head[4] {
        1 => false,
        2 => true,
        _ => return None,
    };
    let big = match head[5] {
        1 => false,
        2 => true,
        _ => return None,
    };
    Some((wide, big))
}

/// Where the program header table ends, from the ELF header (the first 64 bytes).
fn elf_headers_end(head: &[u8]) -> Option<u64> {
    let (wide, big) = elf_kind(head)?;
    let (phoff, phentsize, phnum) = if wide {
        (read_u64(head, 0x20, big)?, read_u16(head, 0x36, big)?, read_u16(head, 0x38, big)?)
    } else {
        (read_u32(head, 0x1c, big)?, read_u16(head, 0x2a, big)?, read_u16(head, 0x2c, big)?)
    };
    let min_entry = if wide { 56 } else { 32 };
    // 0xffff means the count is elsewhere (a section header): not worth following.
    if phnum == 0 || phnum == 0xffff || phentsize < min_entry {
        return None;
    }
    phoff.checked_add(phentsize.checked_mul(phnum)?)
}

/// File ranges of the writable loadable segments, sorted and merged.
fn writable_ranges(head: &[u8]) -> Option<Vec<(u64, u64)>> {
    const PT_LOAD: u64 = 1;
    const PF_W: u64 = 2;
    let (wide, big) = elf_kind(head)?;
    let (phoff, phentsize, phnum) = if wide {
        (read_u64(head, 0x20, big)?, read_u16(head, 0x36, big)?, read_u16(head, 0x38, big)?)
    } else {
        (read_u32(head, 0x1c, big)?, read_u16(head, 0x2a, big)?, read_u16(head, 0x2c, big)?)
    };
    let mut ranges = Vec::new();
    for i in 0..phnum {
        let at = usize::try_from(phoff + i * phentsize).ok()?;
        let (ty, flags, offset, filesz) = if wide {
            (read_u32(head, at, big)?, read_u32(head, at + 4, big)?, read_u64(head, at + 8, big)?, read_u64(head, at + 32, big)?)
        } else {
            (read_u32(head, at, big)?, read_u32(head, at + 24, big)?, read_u32(head, at + 4, big)?, read_u32(head, at + 16, big)?)
        };
        if ty == PT_LOAD && flags & PF_W != 0 && filesz > 0 {
            ranges.push((offset, offset.saturating_add(filesz)));
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match merged.last_mut() {
            Some(last) if lo <= last.1 => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    Some(merged)
}

/// An unsigned LEB128 number at the start of `b`: its value and length; `Ok(None)` when `b`
/// ends inside it, `Err` when it does not fit 64 bits.
fn uvarint(b: &[u8]) -> Result<Option<(u64, usize)>, ()> {
    let mut value = 0u64;
    for (i, byte) in b.iter().enumerate() {
        if i == 9 && *byte > 1 {
            return Err(());
        }
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok(Some((value, i + 1)));
        }
        if i == 9 {
            return Err(());
        }
    }
    Ok(None)
}

/// How long the blob at the start of some bytes is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlobLen {
    /// The bytes end inside it.
    NeedMore,
    /// Header and inline strings take this many bytes.
    Complete(usize),
    /// Not a blob, or one over [`MAX_BLOB`].
    Invalid,
}

/// The length of the blob at the start of `b` (header and inline strings).
pub fn blob_len(b: &[u8]) -> BlobLen {
    if b.len() < HEADER_LEN {
        return BlobLen::NeedMore;
    }
    if b[..MAGIC.len()] != MAGIC[..] {
        return BlobLen::Invalid;
    }
    if b[15] & FLAG_INLINE == 0 {
        return BlobLen::Complete(HEADER_LEN);
    }
    let mut at = HEADER_LEN;
    for _ in 0..2 {
        let (n, used) = match uvarint(&b[at..]) {
            Ok(Some(v)) => v,
            Ok(None) => return BlobLen::NeedMore,
            Err(()) => return BlobLen::Invalid,
        };
        let Some(end) = usize::try_from(n).ok().and_then(|n| at.checked_add(used)?.checked_add(n)) else {
            return BlobLen::Invalid;
        };
        if end > MAX_BLOB {
            return BlobLen::Invalid;
        }
        if end > b.len() {
            return BlobLen::NeedMore;
        }
        at = end;
    }
    BlobLen::Complete(at)
}

/// What a build info blob says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuildInfo {
    /// Go 1.18 and later.
    Inline { go_version: String, modules: String },
    /// Before Go 1.18: the strings are elsewhere in the binary; not read.
    PointerFormat,
}

/// Reads a blob as [`BuildInfoScanner`] keeps it; `None` when it is not one.
pub fn parse_blob(b: &[u8]) -> Option<BuildInfo> {
    let BlobLen::Complete(len) = blob_len(b) else { return None };
    if b[15] & FLAG_INLINE == 0 {
        return Some(BuildInfo::PointerFormat);
    }
    let mut at = HEADER_LEN;
    let mut strings = Vec::with_capacity(2);
    for _ in 0..2 {
        let (n, used) = uvarint(&b[at..len]).ok()??;
        let s = at + used;
        at = s + n as usize;
        strings.push(String::from_utf8_lossy(&b[s..at]).into_owned());
    }
    let modules = strings.pop()?;
    let go_version = strings.pop()?;
    Some(BuildInfo::Inline { go_version, modules: strip_sentinels(modules) })
}

/// The module text is wrapped in 16 bytes either side (so the linker can find it); they are
/// there when the byte 17 from the end is the last line's newline.
fn strip_sentinels(s: String) -> String {
    let b = s.as_bytes();
    if b.len() >= 33 && b[b.len() - 17] == b'\n' && s.is_char_boundary(16) && s.is_char_boundary(b.len() - 16) {
        s[16..s.len() - 16].to_string()
    } else {
        s
    }
}

/// One module line (`mod`, `dep`) with its replacement (`=>`), as `go version -m` shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    pub path: String,
    pub version: String,
    pub replaced_by: Option<(String, String)>,
}

impl Module {
    /// The module whose code was built: a replacement by another module version, or this
    /// module built from a local directory (a replacement by a path starting with `./`, `../`
    /// or `/`), which Go versions `(devel)`.
    pub fn built(&self) -> (&str, &str) {
        match &self.replaced_by {
            Some((path, _)) if path.starts_with('.') || path.starts_with('/') => (&self.path, "(devel)"),
            Some((path, version)) if !version.is_empty() => (path, version),
            Some(_) => (&self.path, "(devel)"),
            None => (&self.path, &self.version),
        }
    }
}

/// The main module (`mod`) then the dependencies (`dep`), in the order listed.
pub fn modules(text: &str) -> Vec<Module> {
    let mut out: Vec<Module> = Vec::new();
    for line in text.lines() {
        let mut f = line.split('\t');
        let kind = f.next().unwrap_or("");
        let path = f.next().unwrap_or("").to_string();
        let version = f.next().unwrap_or("").to_string();
        match kind {
            "mod" | "dep" if !path.is_empty() => out.push(Module { path, version, replaced_by: None }),
            "=>" if !path.is_empty() => {
                if let Some(last) = out.last_mut() {
                    last.replaced_by = Some((path, version));
                }
            }
            _ => {}
        }
    }
    out
}

/// The packages of one binary's blob: `stdlib` at the Go version, then the modules; or a note
/// when the blob is in the old format.
pub fn parse(blob: &[u8], location: &str) -> Result<Vec<Package>, String> {
    let (go_version, text) = match parse_blob(blob) {
        None => return Ok(Vec::new()),
        Some(BuildInfo::PointerFormat) => {
            return Err(format!("Go binary {location}: build info from before Go 1.18: not read (unsupported)"))
        }
        Some(BuildInfo::Inline { go_version, modules }) => (go_version, modules),
    };
    let package = |name: &str, version: &str| Package {
        ecosystem: Ecosystem::Go,
        name: name.to_string(),
        version: version.to_string(),
        arch: None,
        size_bytes: None,
        license: None,
        location: location.to_string(),
    };
    let mut out = Vec::new();
    if !go_version.trim().is_empty() {
        out.push(package("stdlib", go_version.trim()));
    }
    for m in modules(&text) {
        let (path, version) = m.built();
        out.push(package(path, version));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    /// A blob in the Go 1.18+ layout, its module text wrapped in 16-byte sentinels.
    pub(crate) fn blob(version: &str, modules: &str) -> Vec<u8> {
        let mut b = MAGIC.to_vec();
        b.extend_from_slice(&[8, FLAG_INLINE]);
        b.resize(HEADER_LEN, 0);
        varint(version.len(), &mut b);
        b.extend_from_slice(version.as_bytes());
        let wrapped = format!("{}{modules}{}", "S".repeat(16), "E".repeat(16));
        varint(wrapped.len(), &mut b);
        b.extend_from_slice(wrapped.as_bytes());
        b
    }

    /// A little-endian ELF64 file: one executable segment, then a writable one at
    /// `data_at` holding `data`.
    pub(crate) fn elf(data_at: usize, data: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; data_at];
        f[..4].copy_from_slice(b"\x7fELF");
        f[4] = 2;
        f[5] = 1;
        f[0x20..0x28].copy_from_slice(&64u64.to_le_bytes());
        f[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
        f[0x38..0x3a].copy_from_slice(&2u16.to_le_bytes());
        let ph = |f: &mut Vec<u8>, at: usize, flags: u32, off: u64, size: u64| {
            f[at..at + 4].copy_from_slice(&1u32.to_le_bytes());
            f[at + 4..at + 8].copy_from_slice(&flags.to_le_bytes());
            f[at + 8..at + 16].copy_from_slice(&off.to_le_bytes());
            f[at + 32..at + 40].copy_from_slice(&size.to_le_bytes());
        };
        ph(&mut f, 64, 5, 0, data_at as u64);
        ph(&mut f, 120, 6, data_at as u64, data.len() as u64);
        f.extend_from_slice(data);
        f
    }

    fn scan(file: &[u8], chunk: usize) -> Option<Vec<u8>> {
        let mut s = Box::new(BuildInfoScanner::new());
        for c in file.chunks(chunk.max(1)) {
            if !s.wants_more() {
                break;
            }
            s.feed(c);
        }
        s.finish()
    }

    const MODS: &str = "path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/text\tv0.14.0\th1:abc=\ndep\texample.com/lib\tv0.0.0-00010101000000-000000000000\n=>\t../lib\t(devel)\t\ndep\told.example/x\tv1.0.0\n=>\tnew.example/x\tv1.2.0\th1:def=\nbuild\tGOOS=linux\n";

    #[test]
    fn finds_the_blob_in_any_chunking() {
        let b = blob("go1.21.5", MODS);
        // The blob at the writable segment's start, after some padding, and preceded by a
        // decoy magic off the 16-byte grid.
        let mut data = vec![0u8; 48];
        data[3..3 + MAGIC.len()].copy_from_slice(MAGIC);
        data.extend_from_slice(&b);
        data.extend_from_slice(&[0xff; 100]);
        let file = elf(4096, &data);
        for chunk in [1, 7, 16, 100, 4096, 1 << 20] {
            assert_eq!(scan(&file, chunk).as_deref(), Some(&b[..]), "chunk {chunk}");
        }
        // Outside a writable segment it is not looked for.
        let mut text_only = elf(4096, &[]);
        text_only[1024..1024 + b.len()].copy_from_slice(&b);
        assert_eq!(scan(&text_only, 100), None);
        // Not ELF, or cut short: nothing.
        assert_eq!(scan(&b, 10), None);
        assert_eq!(scan(&file[..4096 + 48 + 40], 50), None);
    }

    #[test]
    fn modules_and_replacements_as_go_version_shows_them() {
        let b = blob("go1.21.5", MODS);
        let p = parse(&b, "/usr/local/bin/app").unwrap();
        let got: Vec<(&str, &str)> = p.iter().map(|p| (p.name.as_str(), p.version.as_str())).collect();
        assert_eq!(
            got,
            [
                ("stdlib", "go1.21.5"),
                ("example.com/app", "(devel)"),
                ("golang.org/x/text", "v0.14.0"),
                ("example.com/lib", "(devel)"),
                ("new.example/x", "v1.2.0"),
            ]
        );
        assert!(p.iter().all(|p| p.ecosystem == Ecosystem::Go && p.location == "/usr/local/bin/app"));
        let mut old = MAGIC.to_vec();
        old.resize(HEADER_LEN, 0);
        old[14] = 8;
        assert!(parse(&old, "/x").unwrap_err().contains("before Go 1.18"));
    }

    #[test]
    fn hostile_blobs_read_without_panic() {
        let b = blob("go1.21.5", MODS);
        for cut in 0..b.len() {
            let _ = parse(&b[..cut], "/x");
            assert_eq!(blob_len(&b[..cut]), BlobLen::NeedMore, "cut at {cut}");
        }
        let mut huge = MAGIC.to_vec();
        huge.extend_from_slice(&[8, FLAG_INLINE]);
        huge.resize(HEADER_LEN, 0);
        huge.extend_from_slice(&[0xff; 10]);
        assert_eq!(blob_len(&huge), BlobLen::Invalid);
        huge.truncate(HEADER_LEN);
        huge.extend_from_slice(&[0xff, 0xff, 0xff, 0x7f]);
        assert_eq!(blob_len(&huge), BlobLen::Invalid, "over the cap");
        let mut bad = blob("go\u{e9}", "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}");
        bad[HEADER_LEN + 2] = 0xff;
        let _ = parse(&bad, "/x");
        // ELF headers that point anywhere.
        let mut file = elf(4096, &b);
        file[0x20..0x28].copy_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(scan(&file, 64), None);
        let mut file = elf(4096, &b);
        file[120 + 8..120 + 16].copy_from_slice(&(u64::MAX - 3).to_le_bytes());
        assert_eq!(scan(&file, 64), None);
    }
}
