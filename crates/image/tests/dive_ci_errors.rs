//! A bad `.dive-ci` is reported at the line and column of the offending value, so an editor or CI
//! log jumps to it.
use dockstage_image::ci::Rules;

#[test]
fn bad_values_point_at_their_line_and_column() {
    let err = Rules::from_dive_ci("rules:\n  # why\n  lowestEfficiency: 1.5\n", ".dive-ci").unwrap_err();
    assert!(err.starts_with(".dive-ci:3:21: lowestEfficiency:"), "{err}");
    assert!(err.contains("outside the allowed range"), "{err}");
    let err = Rules::from_dive_ci("rules:\n  lowestEfficiency: 0.9\n  highestWastedBytes:   lots\n", "ci/.dive-ci").unwrap_err();
    assert!(err.starts_with("ci/.dive-ci:3:25: highestWastedBytes:"), "{err}");
    let err = Rules::from_dive_ci("rules:\n\thighestUserWastedPercent: NaN\n", ".dive-ci").unwrap_err();
    assert!(err.starts_with(".dive-ci:2:28: highestUserWastedPercent:"), "{err}");
}

#[test]
fn every_error_has_a_position() {
    for text in ["rules\n", "rules:\n  x\n", "rules:\n  lowestEfficiency: -0\n  lowestEfficiency: 2\n", "rules:\n  highestWastedBytes: 1e400\n"] {
        let err = Rules::from_dive_ci(text, "f").unwrap_err();
        let mut parts = err.splitn(4, ':');
        assert_eq!(parts.next(), Some("f"), "{err}");
        assert!(parts.next().unwrap().parse::<usize>().is_ok(), "{err}");
        assert!(parts.next().unwrap().parse::<usize>().is_ok(), "{err}");
    }
}
