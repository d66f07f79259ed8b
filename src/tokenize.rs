//! Words for the search index. The browser splits queries the same way
//! (`themes/default/static/search.js`): lowercase, runs of letters and
//! digits, nothing shorter than two characters, no stop words. Chinese
//! and Japanese, written without spaces, become overlapping pairs of
//! characters (日本の投資: 日本, 本の, の投, 投資), so that a word of two
//! characters or more finds the page wherever it stands in a sentence.

/// Longest word kept; longer runs are noise (hashes, URLs run together).
pub const MAX_WORD: usize = 40;

/// Common English words that would make huge, useless posting lists.
/// Sorted, for binary search.
const STOP_WORDS_EN: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he",
    "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "may", "more", "most", "not",
    "of", "on", "or", "other", "our", "out", "over", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through",
    "to", "under", "up", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "will", "with", "would", "you", "your",
];

/// Words longer than this are never stop words; most words skip the lookup.
const LONGEST_STOP_WORD: usize = 7;

/// Whether `c` belongs to a script written without spaces between words:
/// Han ideographs, hiragana, katakana.
pub fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // hiragana, katakana
        | '\u{31F0}'..='\u{31FF}' // katakana extensions
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{FF66}'..='\u{FF9F}' // half-width katakana
        | '\u{20000}'..='\u{2FFFF}')
}

/// Splits text into index words.
#[derive(Debug, Clone, Copy)]
pub struct Tokenizer {
    stop_words: bool,
}

impl Tokenizer {
    /// Stop words apply to English sites (`language = "en..."`).
    pub fn for_language(language: &str) -> Tokenizer {
        Tokenizer {
            stop_words: language.to_ascii_lowercase().starts_with("en"),
        }
    }

    /// Calls `each` with every word of `text`, in order.
    pub fn words(&self, text: &str, mut each: impl FnMut(&str)) {
        let mut word = String::new();
        // A run of characters of unspaced scripts, for pairs.
        let mut run: Vec<char> = Vec::new();
        let mut pair = String::new();
        for c in text.chars() {
            if !c.is_ascii() && is_unspaced(c) {
                self.flush(&mut word, &mut each);
                run.push(c);
                continue;
            }
            pairs(&mut run, &mut pair, &mut each);
            // ASCII first: most text is, and it needs no Unicode tables.
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    word.push(c.to_ascii_lowercase());
                    continue;
                }
            } else if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
                continue;
            }
            self.flush(&mut word, &mut each);
        }
        self.flush(&mut word, &mut each);
        pairs(&mut run, &mut pair, &mut each);
    }

    /// Gives `word` to `each` if it is a word to index, and empties it.
    fn flush(&self, word: &mut String, each: &mut impl FnMut(&str)) {
        if word.is_empty() {
            return;
        }
        let chars = if word.is_ascii() {
            word.len()
        } else {
            word.chars().count()
        };
        if (2..=MAX_WORD).contains(&chars)
            && !(self.stop_words
                && word.len() <= LONGEST_STOP_WORD
                && STOP_WORDS_EN.binary_search(&word.as_str()).is_ok())
        {
            each(word);
        }
        word.clear();
    }
}

/// Gives each overlapping pair of characters of `run` to `each`, and
/// empties it (`pair` is room to write them in).
fn pairs(run: &mut Vec<char>, pair: &mut String, each: &mut impl FnMut(&str)) {
    for two in run.windows(2) {
        pair.clear();
        pair.extend(two);
        each(pair);
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        Tokenizer::for_language("en").words(text, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS_EN.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS_EN.iter().all(|w| w.len() <= LONGEST_STOP_WORD));
    }

    #[test]
    fn lowercases_splits_and_drops_stop_words() {
        assert_eq!(
            words("The JICA–JETRO talks, in Tokyo (2025): $11bn & a B2B push!"),
            [
                "jica", "jetro", "talks", "tokyo", "2025", "11bn", "b2b", "push"
            ]
        );
    }

    #[test]
    fn keeps_letters_of_every_script() {
        assert_eq!(
            words("Pakistan–Japan: 日本 Ünïcödé"),
            ["pakistan", "japan", "日本", "ünïcödé"]
        );
    }

    #[test]
    fn chinese_and_japanese_become_pairs_of_characters() {
        // A lone character (鉄, 年) is shorter than any word kept.
        assert_eq!(
            words("JICAの日本投資、鉄。ODA2025年"),
            ["jica", "の日", "日本", "本投", "投資", "oda2025"]
        );
    }

    #[test]
    fn other_languages_keep_their_short_words() {
        let mut out = Vec::new();
        Tokenizer::for_language("fr").words("the an", |w| out.push(w.to_string()));
        assert_eq!(out, ["the", "an"]);
    }
}
