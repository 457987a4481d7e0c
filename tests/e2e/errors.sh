#!/usr/bin/env bash
# Bad input, end to end: every case checks the exit status, the message (file and line, column
# or byte offset named) and that no partial or temporary output is left; an existing good output
# survives failed, interrupted and disk-full runs. Exit 77 (skipped) only when the CLI is missing.
set -uo pipefail
cli=$1; src=$2
[ -x "$cli" ] || exit 77
cli=$(cd "$(dirname "$cli")" && pwd)/$(basename "$cli")
src=$(cd "$src" && pwd)
work=$(mktemp -d)
mnt=""
cleanup() {
  [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
  chmod -R u+rwx "$work" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
show() { sed 's/^/    | /' "$1" >&2; }

# run NAME WANT CMD...: runs CMD with stdout/stderr in NAME.out/NAME.err; checks the exit status.
run() {
  local name=$1 want=$2
  shift 2
  "$@" > "$name.out" 2> "$name.err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit status $rc, expected $want"
    show "$name.err"
  fi
}
# says NAME REGEX: the run's stderr matches the extended regex.
says() {
  grep -qE -- "$2" "$1.err" || { fail "$1: stderr does not match /$2/"; show "$1.err"; }
}
# clean DIR...: no temporary (*.tmp.*) or render leftovers in the directories.
clean() {
  local left
  left=$(find "$@" -name '*.tmp.*' -o -name '*.dot.render' -o -name '*.stderr' 2>/dev/null)
  [ -z "$left" ] || fail "leftover temporary files: $left"
}
# absent NAME FILE...: none of the files exists.
absent() {
  local name=$1 f
  shift
  for f in "$@"; do [ ! -e "$f" ] || fail "$name: partial output $f exists"; done
}

# Mentions' [start,end) must spell their text in the document as read: the file repaired by
# U+FFFD per invalid byte and stripped of a leading BOM.
check_offsets() {
  /usr/bin/python3 - "$@" <<'PY' || fail "offsets inconsistent: $*"
import json, sys
out, path = sys.argv[1], sys.argv[2]
raw = open(path, "rb").read()
if raw.startswith(b"\xef\xbb\xbf"):
    raw = raw[3:]
text = raw.decode("utf-8", errors="replace").encode("utf-8")
n = 0
for line in open(out, encoding="utf-8"):
    m = json.loads(line)
    got = text[m["start"]:m["end"]].decode("utf-8")
    assert got == m["text"], (m, got)
    n += 1
assert n > 0, "no mentions"
PY
}

mkdir out

# --- Text ----------------------------------------------------------------------------------
# Invalid UTF-8: a warning names file and byte offset; offsets refer to the repaired text.
printf 'Berlin and Paris \xff\xfe met. Germany and France agreed with Italy.\n' > bad_utf8.txt
run utf8 0 "$cli" extract bad_utf8.txt
says utf8 '^newsgraph: warning: bad_utf8\.txt: invalid UTF-8 at byte 17, replaced by U\+FFFD'
check_offsets utf8.out bad_utf8.txt
grep -q '"text":"Italy"' utf8.out || fail "utf8: mentions after the bad bytes are lost"
printf '{"id":"d1","text":"Spain \x80 and Portugal met."}\n{"id":"d2","text":"Chile \xc3\x28 and Peru."}\n' > bad_utf8.jsonl
run utf8_jsonl 0 "$cli" extract bad_utf8.jsonl
says utf8_jsonl 'bad_utf8\.jsonl:1: invalid UTF-8 in "text" at byte 6'
says utf8_jsonl 'bad_utf8\.jsonl:2: invalid UTF-8 in "text" at byte 6'
grep -q '"doc":"d1","start":14,"end":22,"text":"Portugal"' utf8_jsonl.out ||
  { fail "utf8_jsonl: Portugal not at the repaired offset 14"; show utf8_jsonl.out; }

# A binary (NUL-containing) file in a directory is skipped with a warning; the rest is read.
mkdir corpus_bin
printf 'Germany and France signed the treaty.\n' > corpus_bin/a.txt
printf 'Italy\0\0\1\2 and Spain\n' > corpus_bin/b.txt
printf 'Japan and China met.\n' > corpus_bin/c.md
run binary 0 "$cli" build corpus_bin -o out/bin.graphml --summary
says binary '^newsgraph: warning: corpus_bin/b\.txt: skipped: contains NUL bytes'
grep -q '^documents: 2$' binary.out || { fail "binary: expected 2 documents"; show binary.out; }
grep -q 'Italy' out/bin.graphml && fail "binary: text of the binary file was used"

# Empty files and documents are fine.
mkdir corpus_empty
: > corpus_empty/empty.txt
printf '  \n\n\t\n' > corpus_empty/blank.md
: > corpus_empty/empty.jsonl
printf '{"id":"e1","text":""}\n\n{"id":"e2","text":"   "}\n' > corpus_empty/empty_texts.jsonl
run empty 0 "$cli" extract corpus_empty
[ -s empty.out ] && fail "empty: mentions from empty documents"
[ -s empty.err ] && { fail "empty: unexpected messages"; show empty.err; }
run empty_build 0 "$cli" build corpus_empty -o out/empty.graphml -o out/empty.dot
[ -s out/empty.graphml ] && [ -s out/empty.dot ] || fail "empty_build: outputs missing"
xmllint --noout out/empty.graphml 2> /dev/null || fail "empty_build: GraphML not well-formed"

# BOM and CRLF: the BOM is dropped (offsets start after it); CRLF text gives the same mentions,
# sentences and paragraphs as LF text.
printf '\xef\xbb\xbfGermany and France met in Paris.\r\n\r\nItaly and Spain agreed.\r\nJapan too.\r\n' > crlf.txt
printf 'Germany and France met in Paris.\n\nItaly and Spain agreed.\nJapan too.\n' > lf.txt
run crlf 0 "$cli" extract crlf.txt
run lf 0 "$cli" extract lf.txt
check_offsets crlf.out crlf.txt
grep -q '"start":0,"end":7,"text":"Germany"' crlf.out || fail "crlf: BOM counted in offsets"
strip() { /usr/bin/python3 -c 'import json,sys
for l in open(sys.argv[1]):
    m = json.loads(l); print(m["text"], m["type"], m["entity"], m["sentence"])' "$1"; }
[ "$(strip crlf.out)" = "$(strip lf.out)" ] || fail "crlf: mentions differ from the LF text"
printf '\xef\xbb\xbf{"id":"b1","text":"Kenya and Ghana."}\r\n\r\n{"id":"b2","text":"Brazil."}\r\n' > bom_crlf.jsonl
run bom_jsonl 0 "$cli" extract bom_crlf.jsonl
grep -q '"doc":"b1".*"Kenya"' bom_jsonl.out && grep -q '"doc":"b2".*"Brazil"' bom_jsonl.out ||
  { fail "bom_jsonl: records lost"; show bom_jsonl.out; }

# --- JSON Lines ------------------------------------------------------------------------------
printf '{"id":"a","text":"Germany"}\n{"id":"b","text":"France"\n{"id":"c","text":"Italy"}\n' > malformed.jsonl
run malformed 1 "$cli" build malformed.jsonl -o out/malformed.graphml
says malformed '^newsgraph: error: malformed\.jsonl:2: malformed JSON at column [0-9]+: Missing a comma'
absent malformed out/malformed.graphml

printf '{"id":"a","text":"Germany"}\n{"id":"b","body":"France"}\n' > notext.jsonl
run notext 1 "$cli" build notext.jsonl -o out/notext.graphml
says notext '^newsgraph: error: notext\.jsonl:2: missing field "text"'
absent notext out/notext.graphml

printf '{"id":"a","text":["Germany"]}\n' > arraytext.jsonl
run arraytext 1 "$cli" extract arraytext.jsonl
says arraytext '^newsgraph: error: arraytext\.jsonl:1: field "text" must be a string'

printf '{"id":"a","text":"Germany","date":"2024-06-14"}\n{"id":"b","text":"Germany","date":"14/06/2024"}\n' > baddate.jsonl
run baddate 1 "$cli" build baddate.jsonl -o out/baddate.graphml
says baddate '^newsgraph: error: baddate\.jsonl:2: field "date" is not an ISO 8601 date: "14/06/2024"'
absent baddate out/baddate.graphml

# --skip-bad continues, warns per line and counts the skipped records at the end.
cat > mixed.jsonl <<'EOF'
{"id":"m1","text":"Germany and France met."}
{"id":"m2","text":"Italy
{"id":"m3"}
{"id":"m4","text":"Spain and Portugal met.","date":"yesterday"}
{"id":"m5","text":"Japan and China met."}
EOF
run skipbad 0 "$cli" build mixed.jsonl --skip-bad -o out/skip.graphml --summary
says skipbad 'warning: skipped mixed\.jsonl:2: malformed JSON'
says skipbad 'warning: skipped mixed\.jsonl:3: missing field "text"'
says skipbad 'warning: skipped mixed\.jsonl:4: field "date"'
says skipbad '^newsgraph: skipped 3 malformed JSON Lines record\(s\)$'
grep -q '^documents: 2$' skipbad.out || { fail "skipbad: expected 2 documents"; show skipbad.out; }
[ -s out/skip.graphml ] || fail "skipbad: no output"

# --- User gazetteers and rules ----------------------------------------------------------------
printf '{\n  "entries": [\n    {"name": "Ana Ferreira", "type": "person"\n    {"name": "B"}\n  ]\n}\n' > gaz_malformed.json
run gaz_malformed 1 "$cli" build lf.txt --gazetteer gaz_malformed.json -o out/gaz.graphml
says gaz_malformed "^newsgraph: error: gaz_malformed\.json:4:5: malformed JSON: Missing a comma or '}' after an object member\."
absent gaz_malformed out/gaz.graphml

printf '{"entries":[{"name":"Ana Ferreira","type":"person","colour":"red"}]}' > gaz_unknown.json
run gaz_unknown 1 "$cli" extract lf.txt --gazetteer gaz_unknown.json
says gaz_unknown 'gaz_unknown\.json: entries\[0\] \("Ana Ferreira"\): unknown field "colour"'
printf '{"entries":[{"name":"Ana Ferreira","type":"person","aliases":"Ferreira"}]}' > gaz_type.json
run gaz_type 1 "$cli" extract lf.txt --gazetteer gaz_type.json
says gaz_type 'gaz_type\.json: entries\[0\] \("Ana Ferreira"\): field "aliases" must be an array of strings'

printf '{"rules":[{"id":"my.rule","type":"event","pattern":"(Summit"}]}' > rules_bad.json
run rules_bad 1 "$cli" build lf.txt --rules rules_bad.json -o out/rules.graphml
says rules_bad 'rules_bad\.json: rule "my\.rule": invalid pattern: missing \)'
absent rules_bad out/rules.graphml
printf '{"rules":[{"id":"r1","type":"event","pattern":"Summit","priority":"high"}]}' > rules_type.json
run rules_type 1 "$cli" extract lf.txt --rules rules_type.json
says rules_type 'rules_type\.json: rule "r1": field "priority" must be an integer'
printf '{"rules":[{"id":"r2","type":"event","pattern":"Summit","flags":"i"}]}' > rules_unknown.json
run rules_unknown 1 "$cli" extract lf.txt --rules rules_unknown.json
says rules_unknown 'rules_unknown\.json: rule "r2": unknown field "flags"'

# Pathological patterns fail cleanly and quickly, naming the rule.
printf '{"rules":[{"id":"huge.repeat","type":"x","pattern":"((a{100}){100}){100}"}]}' > rules_repeat.json
run rules_repeat 1 timeout 120 "$cli" extract lf.txt --rules rules_repeat.json
says rules_repeat 'rule "huge\.repeat": invalid pattern: '
printf '{"rules":[{"id":"huge.class","type":"x","pattern":"[\\\\p{L}\\\\d]{1000}[\\\\p{L}\\\\d]{1000}"}]}' > rules_mem.json
run rules_mem 1 timeout 120 "$cli" extract lf.txt --rules rules_mem.json
says rules_mem 'memory bound.*rules_mem\.json: rule "huge\.class"|rules_mem\.json: rule "huge\.class": invalid pattern'
printf '{"macros":{"SELF":"a{{SELF}}"},"rules":[{"id":"self.ref","type":"x","pattern":"{{SELF}}"}]}' > rules_self.json
run rules_self 1 timeout 120 "$cli" extract lf.txt --rules rules_self.json
says rules_self 'rules_self\.json: rule "self\.ref": unknown or recursive macro \{\{SELF\}\}'
printf '{"macros":{"M":"{{M}}{{M}}{{M}}{{M}}{{M}}{{M}}{{M}}{{M}}x"},"rules":[{"id":"boom","type":"x","pattern":"{{M}}"}]}' > rules_boom.json
run rules_boom 1 timeout 120 "$cli" extract lf.txt --rules rules_boom.json
says rules_boom 'rules_boom\.json: rule "boom": the pattern is too long once its macros are expanded'

# --- Files ------------------------------------------------------------------------------------
run missing 1 "$cli" build lf.txt no-such-file.txt -o out/missing.graphml
says missing '^newsgraph: error: no-such-file\.txt: no such file or directory'
absent missing out/missing.graphml

printf 'Germany and France.\n' > locked.txt
chmod 000 locked.txt
if cat locked.txt > /dev/null 2>&1; then
  echo "errors: unreadable input: skipped (running as root, chmod 000 does not stop reading)"
else
  run unreadable 1 "$cli" build locked.txt -o out/unreadable.graphml
  says unreadable '^newsgraph: error: locked\.txt: cannot open: Permission denied'
  absent unreadable out/unreadable.graphml
fi
chmod 644 locked.txt

# A missing output directory fails before the run, without creating it.
run nodir 1 "$cli" build lf.txt -o out/no-such-dir/g.graphml
says nodir "^newsgraph: error: out/no-such-dir/g\.graphml: cannot write: directory 'out/no-such-dir' does not exist"
[ -e out/no-such-dir ] && fail "nodir: directory created"
mkdir -p out/isdir.graphml
run outdir_is_dir 1 "$cli" build lf.txt -o out/isdir.graphml
says outdir_is_dir 'out/isdir\.graphml: cannot write: is a directory'

# A good output, then failed runs aimed at it: it must stay byte-identical.
mkdir good
run good 0 "$cli" build "$src/examples/corpus" -o good/g.graphml -o good/g.dot
cp good/g.graphml good.graphml.orig; cp good/g.dot good.dot.orig
same() {
  cmp -s good/g.graphml good.graphml.orig && cmp -s good/g.dot good.dot.orig ||
    fail "$1: the existing good output was changed"
  clean good
}
run harm_input 1 "$cli" build "$src/examples/corpus" malformed.jsonl -o good/g.graphml -o good/g.dot
says harm_input 'malformed\.jsonl:2'
same harm_input
run harm_rules 1 "$cli" build "$src/examples/corpus" --rules rules_bad.json -o good/g.graphml
same harm_rules
# Several outputs are all or nothing: the last one failing (no such Graphviz layout program)
# leaves the earlier ones as they were, not half the set new.
run harm_partial_set 1 "$cli" build lf.txt -o good/g.graphml -o good/g.dot -o good/g.svg \
  --layout nosuchlayout
says harm_partial_set 'nosuchlayout'
same harm_partial_set
absent harm_partial_set good/g.svg

# Full disk. A file size limit (ulimit -f, with SIGXFSZ ignored) makes writes fail with EFBIG
# anywhere, without privileges.
run fsize 1 bash -c 'trap "" XFSZ; ulimit -f 8; exec "$@"' _ "$cli" build "$src/examples/corpus" \
  -o good/g.graphml
says fsize 'good/g\.graphml: write failed: File too large'
same fsize
# A JSON Lines record longer than the part size (1 MiB) through a pipe is copied to a temporary
# file in $TMPDIR and streamed from there: the same mentions as from the file, and no file left.
/usr/bin/python3 - <<'PY'
import json
words = "The harbour board of Faro met the mayor of Tavira on Monday. ".split()
text = " ".join(words[i % len(words)] for i in range(450000))
with open("long.jsonl", "w") as f:
    f.write(json.dumps({"id": "first", "text": "Lisbon and Porto signed the accord."}) + "\n")
    f.write(json.dumps({"id": "long", "text": text}) + "\n")
    f.write(json.dumps({"id": "last", "text": "Braga hosted the summit."}) + "\n")
PY
mkdir spool
run long_file 0 "$cli" extract long.jsonl
run long_pipe 0 bash -c 'cat long.jsonl | TMPDIR=spool "$1" extract -' _ "$cli"
[ -s long_file.out ] || fail "long_file: no mentions"
cmp -s long_file.out long_pipe.out || fail "long_pipe: other mentions than from the file"
[ -z "$(ls -A spool)" ] || fail "long_pipe: left $(ls -A spool) in \$TMPDIR"
# No temporary file can be made: the line is held, with a warning naming it and the directory.
run long_held 0 bash -c 'cat long.jsonl | TMPDIR=no/such/dir "$1" extract -' _ "$cli"
says long_held '<stdin>:2: cannot make a temporary file in no/such/dir .*held in memory'
cmp -s long_file.out long_held.out || fail "long_held: other mentions than from the file"

# A real full file system: a 64 KiB tmpfs, when this sandbox allows mounting one (root).
mkdir tiny
if mount -t tmpfs -o size=64k tmpfs tiny 2> /dev/null; then
  mnt=$work/tiny
  head -c 40000 /dev/zero > tiny/filler
  run full 0 "$cli" build lf.txt -o tiny/g.graphml
  cp tiny/g.graphml tiny.orig
  run full 1 "$cli" build "$src/examples/corpus" -o tiny/g.graphml
  says full 'tiny/g\.graphml: write failed: No space left on device'
  cmp -s tiny/g.graphml tiny.orig || fail "full: the existing output was changed"
  # A long line from a pipe that does not fit in $TMPDIR: exit 1, the line named.
  run full_spool 1 bash -c 'cat long.jsonl | TMPDIR=tiny "$1" build - -o g2.graphml' _ "$cli"
  says full_spool '<stdin>:2: cannot copy the line to a temporary file in tiny \(No space left on device\)'
  absent full_spool g2.graphml
  [ "$(ls -A tiny | sort | tr '\n' ' ')" = "filler g.graphml " ] || fail "full_spool: left $(ls -A tiny)"
  clean tiny
  umount tiny && mnt=""
else
  echo "errors: full disk on tmpfs: skipped (cannot mount here; the file size limit case ran)"
fi

# Ctrl-C. A big generated corpus with many entities makes the writing phase long enough to
# interrupt; SIGINT is sent as soon as a temporary output appears (or, on a machine too fast
# for that, at the end of the reading phase). Job control (set -m) keeps SIGINT deliverable to
# the background job, as it is in an interactive shell.
/usr/bin/python3 - <<'PY'
import json, random
rng = random.Random(6)
syll = ["ka", "lo", "mi", "ru", "te", "va", "zo", "ben", "dar", "fel", "gor", "hin", "jus", "kel"]
names = sorted({"".join(rng.choice(syll) for _ in range(3)).capitalize() + " " +
                "".join(rng.choice(syll) for _ in range(3)).capitalize() for _ in range(1000)})
with open("big_gazetteer.json", "w") as f:
    json.dump({"entries": [{"name": n, "type": "organization"} for n in names]}, f)
with open("big.jsonl", "w") as f:
    for d in range(600):
        sents = [" and ".join(rng.sample(names, 10)) + " met." for _ in range(3)]
        f.write(json.dumps({"id": f"d{d}", "text": " ".join(sents)}) + "\n")
PY
mkdir sig
run sig_good 0 "$cli" build lf.txt -o sig/g.graphml
cp sig/g.graphml sig.graphml.orig
for signal in INT TERM; do
  set -m
  "$cli" build big.jsonl --gazetteer big_gazetteer.json --evidence 0 -q -o sig/g.graphml \
    > /dev/null 2> "sig_$signal.err" &
  pid=$!
  set +m
  caught=""
  for _ in $(seq 1 6000); do
    if compgen -G 'sig/*.tmp.*' > /dev/null; then caught=1; break; fi
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.01
  done
  kill -s "$signal" "$pid" 2> /dev/null
  wait "$pid"
  rc=$?
  if [ -n "$caught" ]; then
    want=$((128 + $(kill -l "$signal")))
    [ "$rc" -eq "$want" ] || fail "SIG$signal: exit status $rc, expected $want"
  else
    echo "errors: SIG$signal: the run ended before an output was being written (rc $rc)"
  fi
  clean sig
  if [ "$rc" -ne 0 ]; then
    cmp -s sig/g.graphml sig.graphml.orig ||
      fail "SIG$signal: the existing output was changed by an interrupted run"
  fi
done

# Ctrl-C while Graphviz renders an .svg: the signal reaches the whole foreground job, as from
# a terminal. No output and no scratch file is left, and a file that happens to be named like
# the scratch DOT file (g.svg.dot) is not touched.
if command -v sfdp > /dev/null; then
  echo keep > sig/g.svg.dot
  set -m
  "$cli" build big.jsonl --gazetteer big_gazetteer.json --evidence 0 -q -o sig/g.svg \
    > /dev/null 2> sig_svg.err &
  pid=$!
  set +m
  for _ in $(seq 1 6000); do
    if compgen -G 'sig/g.svg.tmp.*' > /dev/null; then break; fi
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.01
  done
  sleep 0.2  # Graphviz is running by now
  kill -s INT -- "-$pid" 2> /dev/null
  wait "$pid"
  rc=$?
  sleep 0.5  # let an orphaned Graphviz finish
  [ "$rc" -ne 0 ] || echo "errors: svg: the render ended before the interrupt"
  [ "$rc" -eq 0 ] || [ ! -e sig/g.svg ] || fail "svg: an interrupted render left sig/g.svg"
  [ "$(cat sig/g.svg.dot)" = keep ] || fail "svg: sig/g.svg.dot was overwritten"
  clean sig
  rm -f sig/g.svg sig/g.svg.dot
fi

if [ "$failures" -ne 0 ]; then
  echo "errors: $failures failure(s)" >&2
  exit 1
fi
echo "errors: ok"
