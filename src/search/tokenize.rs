//! Words for the search index. The browser splits queries the same way
//! (`themes/default/static/search.js`): lowercase, runs of letters and
//! digits, nothing shorter than two characters, no stop words.

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
        let mut flush = |word: &mut String| {
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
        };
        for c in text.chars() {
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
            if !word.is_empty() {
                flush(&mut word);
            }
        }
        if !word.is_empty() {
            flush(&mut word);
        }
    }
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
    fn other_languages_keep_their_short_words() {
        let mut out = Vec::new();
        Tokenizer::for_language("fr").words("the an", |w| out.push(w.to_string()));
        assert_eq!(out, ["the", "an"]);
    }
}
