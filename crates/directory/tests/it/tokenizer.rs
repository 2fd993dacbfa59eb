//! The bilingual analyzer: CJK bigrams, Latin stemming, mixed text.

use rstest::rstest;

#[track_caller]
fn check(text: &str, expect: &[&str]) {
    assert_eq!(directory::analyze(text), expect, "tokens of {text:?}");
}

#[rstest]
#[case::two_characters_are_one_bigram("檢測", &["檢測"])]
#[case::longer_runs_overlap("重慶檢測", &["重慶", "慶檢", "檢測"])]
#[case::a_lone_character_is_a_unigram("電", &["電"])]
#[case::lone_characters_between_words("a 電 b", &["a", "電", "b"])]
#[case::punctuation_splits_runs("重慶、深圳", &["重慶", "深圳"])]
#[case::english_is_stemmed("Testing Laboratories", &["test", "laboratori"])]
#[case::mixed_text_switches_scripts("EV電池testing", &["ev", "電池", "test"])]
#[case::digits_stay_words("ISO/IEC 17025", &["iso", "iec", "17025"])]
#[case::cjk_is_not_stemmed_or_lowercased("精密檢測實驗室", &["精密", "密檢", "檢測", "測實", "實驗", "驗室"])]
#[case::empty_text("", &[])]
#[case::only_punctuation(" ,.。", &[])]
fn analyzes_bilingual_text(#[case] text: &str, #[case] expect: &[&str]) {
    check(text, expect);
}

#[test]
fn the_unstemmed_analyzer_keeps_words_as_written_but_lowercased() {
    // Arrange / Act
    let tokens = directory::analyze_unstemmed("Testing 重慶 Labs");

    // Assert
    assert_eq!(tokens, ["testing", "重慶", "labs"]);
}
