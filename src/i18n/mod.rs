//! Translations: every visible string of the app, in English and Simplified Chinese.
//!
//! The UI never writes text inline; it asks [`tr`] for a key. The tables are plain `(key, text)`
//! slices in `en.rs` and `zh.rs`, so a translator edits one file per language. Tests check that
//! both tables hold the same keys, that no text is empty, and that every key the UI names exists.

pub mod core_errors;
mod en;
mod zh;

/// A language of the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The short code used in `?lang=` and in storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// Parses `en`, `zh`, or a longer tag such as `zh-CN` or `en-GB` (case-insensitive).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// The other language: what the language switch offers.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }

    /// This language's `(key, text)` table.
    pub fn table(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::En => en::STRINGS,
            Lang::Zh => zh::STRINGS,
        }
    }
}

/// The text of `key` in `lang`, or `None` if the table lacks it.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    lang.table()
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, text)| *text)
}

/// The text of `key` in `lang`. A missing key (which the tests rule out) shows as the key itself,
/// so the page stays readable and the gap is visible.
pub fn tr(lang: Lang, key: &'static str) -> &'static str {
    lookup(lang, key).unwrap_or(key)
}

/// The text of `many` in `lang` with `{n}` replaced by `n`, or of `one` when `n` is 1: the
/// singular English needs ("1 thread", not "1 threads"; Chinese has no plural, and its `one`
/// text says the same as its `many`).
pub fn tr_count(lang: Lang, one: &'static str, many: &'static str, n: usize) -> String {
    let key = if n == 1 { one } else { many };
    tr(lang, key).replace("{n}", &n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: Lang) -> BTreeSet<&'static str> {
        lang.table().iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn one_thread_is_singular_in_english() {
        let (one, many) = ("train.where.worker_one", "train.where.workers");
        assert_eq!(
            tr_count(Lang::En, one, many, 1),
            "WASM SIMD in 1 Web Worker thread: the page stays smooth while it trains."
        );
        assert_eq!(
            tr_count(Lang::En, one, many, 4),
            "WASM SIMD in 4 Web Worker threads: the page stays smooth while it trains."
        );
        for n in [1, 4] {
            assert_eq!(
                tr_count(Lang::Zh, one, many, n),
                format!("WASM SIMD，在 {n} 个 Web Worker 线程中运行：训练时页面保持流畅。")
            );
        }
        let lost = tr_count(Lang::En, "train.thread_lost_one", "train.thread_lost", 1);
        assert!(
            lost.contains("the other takes its share (1 thread left)"),
            "{lost}"
        );
        let lost = tr_count(Lang::En, "train.thread_lost_one", "train.thread_lost", 3);
        assert!(
            lost.contains("the others take its share (3 threads left)"),
            "{lost}"
        );
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let en = keys(Lang::En);
        let zh = keys(Lang::Zh);
        let only_en: Vec<_> = en.difference(&zh).collect();
        let only_zh: Vec<_> = zh.difference(&en).collect();
        assert!(only_en.is_empty(), "keys missing from zh.rs: {only_en:?}");
        assert!(only_zh.is_empty(), "keys missing from en.rs: {only_zh:?}");
    }

    #[test]
    fn no_duplicate_keys_and_no_empty_text() {
        for lang in Lang::ALL {
            let table = lang.table();
            assert_eq!(
                keys(lang).len(),
                table.len(),
                "{lang:?} has a duplicate key"
            );
            for (key, text) in table {
                assert!(!text.trim().is_empty(), "{lang:?}: {key} is empty");
            }
        }
    }

    #[test]
    fn chinese_text_is_chinese() {
        // Catches an English sentence pasted into zh.rs by mistake: every prose entry of the
        // Chinese table contains CJK characters.
        for (key, text) in Lang::Zh.table() {
            let proper_name = matches!(*key, "backend.webgpu");
            if (key.starts_with("page.") || key.starts_with("nav.") || key.starts_with("backend."))
                && !proper_name
            {
                assert!(
                    text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "zh {key} has no Chinese: {text}"
                );
            }
        }
    }

    #[test]
    fn every_page_key_exists() {
        for page in crate::pages::Page::ALL {
            let mut page_keys = vec![page.title_key(), page.summary_key()];
            page_keys.extend_from_slice(page.intro_keys());
            for key in page_keys {
                for lang in Lang::ALL {
                    assert!(
                        lookup(lang, key).is_some(),
                        "{lang:?} lacks {key} ({page:?})"
                    );
                }
            }
        }
    }

    #[test]
    fn parse_language_codes() {
        assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
    }
}
