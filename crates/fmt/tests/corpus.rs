//! Over the shared corpus: formatting is idempotent and keeps every instruction as BuildKit reads
//! it (keyword, flags, arguments, JSON-ness, heredocs); only spelling and positions may differ.

mod common;
use common::same;
use dockstage_test_support::corpus_dockerfiles;

#[test]
fn formatting_is_idempotent_and_keeps_instructions() {
    let (mut files, mut changed) = (0, 0);
    for p in corpus_dockerfiles() {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let src = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        let Ok(before) = dockstage_syntax::parse(&src) else {
            assert!(dockstage_fmt::format(&src).is_err(), "{name}: unparsable input formatted");
            continue;
        };
        files += 1;
        let once = dockstage_fmt::format(&src).unwrap();
        changed += usize::from(once != src);
        let twice = dockstage_fmt::format(&once).unwrap();
        assert_eq!(once, twice, "{}: formatting is not idempotent", p.display());
        let after = dockstage_syntax::parse(&once).unwrap();
        assert_eq!(before.instructions.len(), after.instructions.len(), "{}", p.display());
        for (a, b) in before.instructions.iter().zip(&after.instructions) {
            assert!(same(a, b), "{}:{}: formatting changed the instruction\n{a:?}\n{b:?}", p.display(), a.start_line);
        }
        assert_eq!(before.directives, after.directives);
        for i in &after.instructions {
            let at_keyword = once[i.span.start..].starts_with(&i.keyword);
            assert!(!at_keyword || i.keyword == i.keyword.to_ascii_uppercase(), "{}:{}: keyword {} not upper-cased", p.display(), i.start_line, i.keyword);
        }
    }
    assert!(files > 200, "expected the shared corpus, found {files} files");
    assert!(changed > 0, "nothing in the corpus needed formatting");
}
