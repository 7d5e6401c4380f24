#!/bin/sh
# Real feed readers read tributary's output: starts tributary on the
# offline example and checks that newsboat, Python's feedparser and sfeed
# each read every RSS and Atom topic feed with the right number of entries
# and no error. (None of them reads JSON Feed; the Go tests read it back
# with gofeed.) Installs the readers when missing, idempotently.
set -eu
cd "$(dirname "$0")/.."

missing=""
command -v newsboat >/dev/null 2>&1 || missing="$missing newsboat"
/usr/bin/python3 -c 'import feedparser' >/dev/null 2>&1 || missing="$missing python3-feedparser"
command -v sfeed >/dev/null 2>&1 || missing="$missing sfeed"
command -v curl >/dev/null 2>&1 || missing="$missing curl"
if [ -n "$missing" ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null 2>&1 || {
		$sudo apt-get update -q >/dev/null
		$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null
	}
fi

tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/tributary" .
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
sed -e "s#^listen: .*#listen: \"127.0.0.1:$port\"\nmetrics_listen: \"\"#" \
	-e "s#^base_url: .*#base_url: \"$base\"#" \
	-e "s#^state_dir: .*#state_dir: \"$tmp/state\"#" \
	-e "s#file:\.\./testdata#file:$PWD/testdata#" examples/local.yaml >"$tmp/config.yaml"
"$tmp/tributary" serve -config "$tmp/config.yaml" 2>"$tmp/log" &
pid=$!

# Wait until the feeds hold the example's stories: 12 items, the wire
# story carried by three outlets and the markets' reaction joining the
# rate decision it reports, 9 stories.
i=0
until [ "$(curl -s "$base/feeds/all.json" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("items", [])))' 2>/dev/null)" = "9" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ]; then
		echo "readers-check: tributary did not publish the example's 9 stories:" >&2
		cat "$tmp/log" >&2
		exit 1
	fi
	sleep 0.2
done

fail=0
for topic in all ukraine climate economy tech; do
	want=$(curl -s "$base/feeds/$topic.json" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("items", [])))')
	for format in rss atom; do
		url="$base/feeds/$topic.$format"
		got=$(/usr/bin/python3 -c '
import feedparser, sys
d = feedparser.parse(sys.argv[1])
print(len(d.entries) if not d.bozo else "bozo: %s" % d.bozo_exception)' "$url")
		[ "$got" = "$want" ] || { echo "feedparser $topic.$format: $got entries, want $want" >&2; fail=1; }
		got=$(curl -s "$url" | sfeed | wc -l | tr -d ' ')
		[ "$got" = "$want" ] || { echo "sfeed $topic.$format: $got entries, want $want" >&2; fail=1; }
		echo "$topic.$format: $want entries read by feedparser and sfeed"
	done
done

# feedparser sees what a reader shows beside a story: its outlet, its
# author, its picture.
for format in rss atom; do
	/usr/bin/python3 -c '
import feedparser, sys
d = feedparser.parse(sys.argv[1])
e = [e for e in d.entries if e.title.startswith("Ukraine and Russia agree")][0]
src = e.get("source", {})
encs = [l.href for l in e.get("enclosures", [])]
ok = (src.get("title") == "Northwind Herald" and e.get("author") == "Anna Kowal (Northwind Herald)"
      and "https://northwind.example/img/geneva-talks-large.jpg" in encs)
print("ok" if ok else "BAD", sys.argv[1], "source", src.get("title"), "author", e.get("author"), "enclosures", encs)
sys.exit(0 if ok else 1)' "$base/feeds/ukraine.$format" || fail=1
done

# newsboat keeps one row per GUID across all its feeds, and every story
# is in several of ours: one cache per feed, then count its rows.
mkdir -p "$tmp/nb"
: >"$tmp/nb/config"
for topic in all ukraine climate economy tech; do
	want=$(curl -s "$base/feeds/$topic.json" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin).get("items", [])))')
	for format in rss atom; do
		url="$base/feeds/$topic.$format"
		echo "$url" >"$tmp/nb/urls"
		rm -f "$tmp/nb/cache.db" "$tmp/nb/log"
		HOME="$tmp/nb" XDG_CONFIG_HOME="$tmp/nb" XDG_DATA_HOME="$tmp/nb" newsboat -u "$tmp/nb/urls" \
			-c "$tmp/nb/cache.db" -C "$tmp/nb/config" -l 4 -d "$tmp/nb/log" -x reload >/dev/null
		if grep -q "USERERROR\|ERROR" "$tmp/nb/log"; then
			echo "newsboat $topic.$format logged errors:" >&2
			grep "USERERROR\|ERROR" "$tmp/nb/log" >&2
			fail=1
		fi
		got=$(/usr/bin/python3 -c '
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM rss_item").fetchone()[0])' "$tmp/nb/cache.db")
		[ "$got" = "$want" ] || { echo "newsboat $topic.$format: $got entries, want $want" >&2; fail=1; }
	done
done
[ $fail -eq 0 ] && echo "readers-check: newsboat, feedparser and sfeed read every RSS and Atom feed in full"
exit $fail
