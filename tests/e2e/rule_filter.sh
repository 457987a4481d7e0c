#!/usr/bin/env bash
# The extractor runs its RE2 rules only at words where a default rule can match (cheap checks
# on the words that follow). Any --rules file turns those checks off, as a user rule may match
# anywhere; an empty one adds no rule. So `extract` must find the same mentions either way.
# This runs both on a few thousand documents made from the example corpus's sentences, with
# words that probe each check (titles in any case and spacing, given names, numbers, hyphenated
# and glued election words, apostrophes, dotted abbreviations, non-ASCII capitals) put in at
# random.
# Exit 77 (skipped) when the CLI or python3 is missing.
set -euo pipefail
cli=$1; src=$2
[ -x "$cli" ] || exit 77
command -v python3 > /dev/null || exit 77
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
echo '{"version": 1, "rules": []}' > "$out/none.json"

python3 - "$src/examples/corpus" "$out/docs.jsonl" <<'EOF'
import json, os, random, re, sys
corpus, dest = sys.argv[1], sys.argv[2]
texts = []
for name in sorted(os.listdir(corpus)):
    path = os.path.join(corpus, name)
    if name.endswith(".jsonl"):
        texts += [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
    elif name.endswith((".txt", ".md")):
        texts.append(open(path, encoding="utf-8").read())
sentences = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s.split()) > 3]
probes = [
    "president", "President", "former president", "the Honourable", "Prime  Minister",
    "prime\tminister", "Vice-President", "the Rt. Hon.", "Mr.", "Chargé d'affaires", "general",
    "Sheikh", "2004", "2nd", "1990s", "12 plc,", "3 plc.", "12 and", "7 of", "8 &", "15,",
    "2004 and 2008", "21st Century", "6-4", "1/2", "3.5", "COP 28", "COP28", "G20",
    "mid-term election", "run-off election", "generalelection", "by-elections", "caucuses",
    "Didn't", "O'Neill", "Obama's", "A.B.", "J.R.R.", "R.E.S.I.S.T.", "K.Lee", "St. John",
    "al-Rashid", "\uff2dorten", "\u00c9lodie", "\u03a9mega", "Stra\u00dfe", "Dub\u00e9",
    "Maria", "Peter", "John's", "Jean-Luc", "Sha'Carri", "Anna-Maria", "Marie-Claire", "Li",
    "Zo\u00eb", "JOHN", "Mohammed,", "David\u00a0Holm", "Omar:", "Ali van", "Ana de la",
    # Head words (ORG_HEAD, EVENT_HEAD, DOC_HEAD, ...) whole, glued or cut short, and the words
    # of the other rules' conditions.
    "Party", "Party\u00e9", "Cup\u0301", "AG&T", "Corp.", "Co.", "Inc.,", "Party's",
    "Party'x", "Party2", "Air Force", "Summit", "Summit of", "Treaty of", "Act", "Accords",
    "Communiqu\u00e9", "Organisation", "Organization of", "Federal Reserve Bank of",
    "Resolution", "Resolution No. 5", "Golf Course", "Road", "Stadium,", ", the", ", a",
    ", their", "Senateelection", "European elections", "primaries", "referendum\u00e9",
    "Referendum", "House of", "Ministry of", "University", "Grand Prix", "War", "Cup",
]
rng = random.Random(5)
with open(dest, "w", encoding="utf-8") as f:
    for n in range(3000):
        words = rng.choice(sentences).split()
        for _ in range(rng.randint(1, 6)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(probes))
        for i, w in enumerate(words):
            r = rng.random()
            if r < 0.08 and w[:1].isupper(): words[i] = w[0].lower() + w[1:]
            elif r < 0.12 and w[:1].islower(): words[i] = w[0].upper() + w[1:]
        text = words[0]
        for w in words[1:]:
            text += rng.choice([" "] * 16 + ["  ", "\t", "\n"]) + w
        f.write(json.dumps({"id": f"p{n}", "text": text}, ensure_ascii=False) + "\n")
EOF

"$cli" extract "$out/docs.jsonl" > "$out/filtered.jsonl"
"$cli" extract "$out/docs.jsonl" --rules "$out/none.json" > "$out/all.jsonl"
[ -s "$out/all.jsonl" ] || { echo "rule_filter: no mentions at all"; exit 1; }
if ! cmp -s "$out/filtered.jsonl" "$out/all.jsonl"; then
  echo "rule_filter: the filtered extractor finds other mentions than the unfiltered one:"
  diff "$out/all.jsonl" "$out/filtered.jsonl" | head -20
  exit 1
fi
echo "rule_filter: $(wc -l < "$out/all.jsonl") mentions, the same with and without the filter"
