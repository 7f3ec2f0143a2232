//! Over the shared corpus: formatting is idempotent and keeps every instruction as BuildKit reads
//! it (keyword, flags, arguments, JSON-ness, heredocs); only spelling and positions may differ.

mod common;
use common::formats_faithfully;
use dockstage_test_support::corpus_dockerfiles;

#[test]
fn formatting_is_idempotent_and_keeps_instructions() {
    let (mut files, mut changed) = (0, 0);
    for p in corpus_dockerfiles() {
        let src = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        let Some((once, after)) = formats_faithfully(&src, &p.display().to_string()) else {
            continue;
        };
        files += 1;
        changed += usize::from(once != src);
        for i in &after.instructions {
            let at_keyword = once[i.span.start..].starts_with(&i.keyword);
            assert!(!at_keyword || i.keyword == i.keyword.to_ascii_uppercase(), "{}:{}: keyword {} not upper-cased", p.display(), i.start_line, i.keyword);
        }
    }
    assert!(files > 200, "expected the shared corpus, found {files} files");
    assert!(changed > 0, "nothing in the corpus needed formatting");
}
