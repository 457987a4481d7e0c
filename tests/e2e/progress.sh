#!/usr/bin/env bash
# The progress line: drawn on standard error when it is a terminal (run under `script`, which
# gives the command a pseudo-terminal), for build and for merge; absent with --quiet and when
# standard error is a file. Exit 77 (skipped) when the CLI or `script` is missing.
set -euo pipefail
cli=$1; src=$2
[ -x "$cli" ] || exit 77
command -v script > /dev/null || exit 77
corpus="$src/examples/corpus"
[ -d "$corpus" ] || exit 77
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
fail() { echo "progress: $*" >&2; exit 1; }

# Runs "$1" (a shell command line) on a pseudo-terminal; its terminal output goes to "$2".
on_tty() { script -qec "$1" /dev/null > "$2"; }

# build: a line with the files, documents and MB read, and the rate.
on_tty "'$cli' build '$corpus' --partial '$out/a.partial' --threads 1" "$out/build.tty"
grep -aq "newsgraph: [0-9]* files, [0-9]* documents, [0-9.]* of [0-9.]* MB, [0-9.]* MB/s" \
  "$out/build.tty"
grep -aq $'\033\[K' "$out/build.tty"  # the line is erased again at the end

on_tty "'$cli' build '$corpus' --partial '$out/b.partial' --threads 1 --quiet" "$out/quiet.tty"
if grep -aq "MB/s" "$out/quiet.tty"; then fail "build --quiet drew a progress line"; fi
"$cli" build "$corpus" --partial "$out/b.partial" --threads 1 2> "$out/build.err"
[ ! -s "$out/build.err" ]

# merge: the parts merged so far, their documents and bytes.
on_tty "'$cli' merge '$out/a.partial' '$out/b.partial' -o '$out/m.graphml'" "$out/merge.tty"
grep -aq "newsgraph: [12] files, [0-9]* documents, [0-9.]* of [0-9.]* MB" "$out/merge.tty"
on_tty "'$cli' merge '$out/a.partial' '$out/b.partial' -o '$out/m.graphml' -q" "$out/mquiet.tty"
if grep -aq "MB/s" "$out/mquiet.tty"; then fail "merge -q drew a progress line"; fi
"$cli" merge "$out/a.partial" "$out/b.partial" -o "$out/m.graphml" 2> "$out/merge.err"
[ ! -s "$out/merge.err" ]

# An error on a terminal starts on a clean line, after the progress line is erased.
head -c 100 "$out/a.partial" > "$out/cut.partial"
if on_tty "'$cli' merge '$out/a.partial' '$out/cut.partial' -o '$out/bad.graphml'" "$out/bad.tty"; then
  fail "merge of a damaged partial succeeded"
fi
grep -aq $'\033\[Knewsgraph: error: .*cut.partial' "$out/bad.tty"
[ ! -e "$out/bad.graphml" ]
echo "progress: ok"
