//! Generates a large, realistic attache site for benchmarks.
//!
//!     cargo run --release --example gen_corpus -- DIR BRIEFS
//!
//! DIR gets attache.toml and content/ with BRIEFS briefs, a meeting for
//! every five briefs, 200 agencies and 60 sectors in a tree. Briefs
//! reference a few agencies, sectors and meetings (popular ones more
//! often) and link to some of them inline. The output is the same for the
//! same arguments.
//!
//!     cargo run --release --example gen_corpus -- DIR BRIEFS PERCENT
//!
//! also declares `[languages.ja]` and translates PERCENT in a hundred of
//! the briefs and agencies (`brief-7.ja.md`), with Japanese text.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A small deterministic generator (xorshift64*), so no dependency is needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Skewed towards small numbers: popular agencies and sectors.
    fn skewed(&mut self, n: usize) -> usize {
        let a = self.below(n);
        let b = self.below(n);
        a.min(b)
    }
}

const WORDS: &[&str] = &[
    "investment",
    "minerals",
    "copper",
    "gold",
    "lithium",
    "energy",
    "transport",
    "logistics",
    "port",
    "rail",
    "zone",
    "export",
    "import",
    "tariff",
    "agreement",
    "memorandum",
    "delegation",
    "minister",
    "secretary",
    "ambassador",
    "chamber",
    "committee",
    "joint",
    "venture",
    "processing",
    "exploration",
    "refinery",
    "supply",
    "chain",
    "technology",
    "transfer",
    "training",
    "skills",
    "finance",
    "loan",
    "grant",
    "bank",
    "textiles",
    "garments",
    "pharmaceuticals",
    "software",
    "services",
    "agriculture",
    "rice",
    "cotton",
    "fisheries",
    "tourism",
    "infrastructure",
    "highway",
    "corridor",
    "industrial",
    "cluster",
    "park",
    "incentives",
    "customs",
    "standards",
    "certification",
    "seminar",
    "exhibition",
    "fair",
    "roadshow",
    "buyers",
    "sellers",
    "partnership",
    "cooperation",
    "dialogue",
    "framework",
    "review",
    "pipeline",
    "solar",
    "wind",
    "hydropower",
    "grid",
    "coal",
    "gas",
    "oil",
    "automotive",
    "electronics",
    "steel",
    "cement",
    "chemicals",
    "fertiliser",
    "halal",
    "food",
    "dairy",
    "leather",
    "furniture",
    "ceramics",
];
const PLACES: &[&str] = &[
    "Tokyo",
    "Osaka",
    "Islamabad",
    "Karachi",
    "Lahore",
    "Seoul",
    "Beijing",
    "Dubai",
    "Riyadh",
    "Jakarta",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = WORDS[rng.below(WORDS.len())];
        if i == 0 {
            let mut c = w.chars();
            if let Some(first) = c.next() {
                s.extend(first.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            // A rarer, made-up term now and then, so the vocabulary grows
            // with the site as real text does.
            if rng.below(12) == 0 {
                let _ = write!(s, "{w}{}", rng.below(5000));
            } else {
                s.push_str(w);
            }
        }
    }
    s.push('.');
    s
}

/// Japanese-looking text of `n` characters, in sentences.
fn japanese(rng: &mut Rng, n: usize) -> String {
    const CHARS: &[&str] = &[
        "日本", "投資", "貿易", "鉱物", "経済", "協力", "会談", "政府", "輸出", "産業", "の", "に",
        "を", "は", "が", "と", "で", "した", "する", "東京",
    ];
    let mut text = String::new();
    for i in 0..n {
        text.push_str(CHARS[rng.below(CHARS.len())]);
        if i % 17 == 16 {
            text.push('。');
        }
    }
    text.push('。');
    text
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
    std::fs::write(path, text).expect("write file");
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(count)) = (args.next(), args.next()) else {
        eprintln!("usage: gen_corpus DIR BRIEFS");
        std::process::exit(2);
    };
    let dir = PathBuf::from(dir);
    let briefs: usize = count.parse().expect("BRIEFS is a number");
    let translated: usize = args
        .next()
        .map_or(0, |p| p.parse().expect("PERCENT is a number"));
    let translate = |n: usize| translated > 0 && n * 7919 % 100 < translated;
    let meetings = (briefs / 5).max(1);
    let agencies = 200;
    let sectors = 60;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);

    write(
        &dir.join("attache.toml"),
        &format!(
            "title = \"Benchmark Desk\"\nbase_url = \"https://bench.example/\"\n{}",
            if translated > 0 {
                "[languages.ja]\ntitle = \"ベンチマーク・デスク\"\n"
            } else {
                ""
            }
        ),
    );
    for a in 0..agencies {
        write(
            &dir.join(format!("content/agencies/agency-{a}.md")),
            &format!(
                "+++\ntitle = \"Agency {a} for {}\"\nshort = \"AG{a}\"\ncountry = \"{}\"\n+++\n\n{}\n",
                WORDS[a % WORDS.len()],
                PLACES[a % PLACES.len()],
                sentence(&mut rng, 30)
            ),
        );
    }
    for a in (0..agencies).filter(|&a| translate(a)) {
        write(
            &dir.join(format!("content/agencies/agency-{a}.ja.md")),
            &format!(
                "+++\ntitle = \"機関 {a}\"\n+++\n\n{}\n",
                japanese(&mut rng, 40)
            ),
        );
    }
    for s in 0..sectors {
        let parent = if s >= 10 {
            format!("parent = \"sector-{}\"\n", s % 10)
        } else {
            String::new()
        };
        write(
            &dir.join(format!("content/sectors/sector-{s}.md")),
            &format!(
                "+++\ntitle = \"Sector {s}: {}\"\n{parent}+++\n\n{}\n",
                WORDS[s % WORDS.len()],
                sentence(&mut rng, 25)
            ),
        );
    }
    for m in 0..meetings {
        let day = 1 + m % 28;
        let month = 1 + (m / 28) % 12;
        let year = 2015 + (m / 336) % 12;
        write(
            &dir.join(format!("content/meetings/meeting-{m}.md")),
            &format!(
                "+++\ntitle = \"Meeting {m} on {}\"\ndate = {year}-{month:02}-{day:02}T{:02}:00:00+09:00\nlocation = \"{}\"\npeople = [\"person-{}\", \"person-{}\"]\nagencies = [\"agency-{}\", \"agency-{}\"]\nsectors = [\"sector-{}\"]\n+++\n\n{}\n",
                WORDS[m % WORDS.len()],
                9 + m % 8,
                PLACES[m % PLACES.len()],
                rng.skewed(500),
                rng.skewed(500),
                rng.skewed(agencies),
                rng.skewed(agencies),
                rng.skewed(sectors),
                sentence(&mut rng, 40)
            ),
        );
    }
    for b in 0..briefs {
        let day = 1 + b % 28;
        let month = 1 + (b / 28) % 12;
        let year = 2015 + (b / 336) % 12;
        let agency_refs: Vec<usize> = (0..1 + rng.below(4))
            .map(|_| rng.skewed(agencies))
            .collect();
        let sector_refs: Vec<usize> = (0..1 + rng.below(3)).map(|_| rng.skewed(sectors)).collect();
        let meeting = rng.below(meetings);
        let list = |prefix: &str, ids: &[usize]| {
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids.dedup();
            ids.iter()
                .map(|i| format!("\"{prefix}-{i}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut body = String::new();
        for p in 0..5 {
            if p > 0 && p % 2 == 0 {
                let _ = writeln!(body, "## {}\n", sentence(&mut rng, 4).trim_end_matches('.'));
            }
            for _ in 0..4 {
                let words = 14 + rng.below(10);
                body.push_str(&sentence(&mut rng, words));
                body.push(' ');
            }
            if p == 1 {
                let _ = write!(
                    body,
                    "The talks involved [agency {a}](@/agencies/agency-{a}.md) and [meeting {meeting}](@/meetings/meeting-{meeting}.md).",
                    a = agency_refs[0]
                );
            }
            body.push_str("\n\n");
        }
        write(
            &dir.join(format!("content/briefs/brief-{b}.md")),
            &format!(
                "+++\ntitle = \"{}\"\ndate = {year}-{month:02}-{day:02}\nsummary = \"{}\"\nlocation = \"{}\"\nagencies = [{}]\nsectors = [{}]\nmeetings = [\"meeting-{meeting}\"]\n+++\n\n{body}",
                sentence(&mut rng, 6).trim_end_matches('.'),
                sentence(&mut rng, 20),
                PLACES[b % PLACES.len()],
                list("agency", &agency_refs),
                list("sector", &sector_refs),
            ),
        );
    }
    for b in (0..briefs).filter(|&b| translate(b)) {
        write(
            &dir.join(format!("content/briefs/brief-{b}.ja.md")),
            &format!(
                "+++\ntitle = \"{}\"\nsummary = \"{}\"\n+++\n\n{}\n\n{}\n",
                japanese(&mut rng, 12),
                japanese(&mut rng, 40),
                japanese(&mut rng, 200),
                japanese(&mut rng, 200),
            ),
        );
    }
    eprintln!(
        "wrote {briefs} briefs, {meetings} meetings, {agencies} agencies, {sectors} sectors to {}",
        dir.display()
    );
}
