//! The parser's peak memory grows linearly with its input: eight times the text may take at most
//! about eight times the memory, never more, for ordinary files and for pathological shapes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(now, Ordering::SeqCst);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak bytes allocated while parsing `text`, beyond what was live before.
fn parse_peak(text: &str) -> usize {
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let result = dockstage_syntax::parse(text);
    let peak = PEAK.load(Ordering::SeqCst) - base;
    drop(result);
    peak
}

fn assert_linear(name: &str, unit: &str) {
    let small = unit.repeat(50);
    let large = unit.repeat(400);
    let per_byte_small = parse_peak(&small) as f64 / small.len() as f64;
    let per_byte_large = parse_peak(&large) as f64 / large.len() as f64;
    assert!(
        per_byte_large <= per_byte_small * 1.25 + 0.5,
        "{name}: {per_byte_small:.2} bytes of memory per input byte at {} bytes, {per_byte_large:.2} at {} bytes",
        small.len(),
        large.len()
    );
    assert!(per_byte_large < 40.0, "{name}: {per_byte_large:.2} bytes of memory per input byte");
}

// One test function, because the counters are process-wide and tests run on several threads.
#[test]
fn peak_memory_is_linear_in_input_size() {
    assert_linear("ordinary", "FROM python:3.11-slim AS b\nRUN apt-get update && \\\n    apt-get install -y gcc\nCOPY --from=b /a /b\nENV A=1 B=\"two words\"\n");
    assert_linear("continuations", "RUN a \\\n  b \\\n# c\n\n  d\n");
    assert_linear("heredocs", "RUN <<EOF cat <<-X\nbody line\nEOF\n\tx\n\tX\n");
    assert_linear("comments", "# just a comment line here\n\n");
    assert_linear("json", "CMD [\"a\", \"b\", \"c d\"]\n");
}
