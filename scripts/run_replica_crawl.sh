#!/usr/bin/env bash
# Serve the replica sites, crawl every site into output/crawl.db, export output/articles.jsonl, stop the server.
set -euo pipefail
BIN=${BIN:-.venv/bin}
PORT=${PORT:-8800}
URL="http://127.0.0.1:${PORT}"
mkdir -p output

"$BIN/crawler" replica serve --port "$PORT" > output/replica.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

"$BIN/python" - "$URL" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(sys.argv[1] + "/robots.txt", timeout=1)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit(f"replica server did not start on {sys.argv[1]} (see output/replica.log)")
PY

CRAWLER_LOG_LEVEL=${CRAWLER_LOG_LEVEL:-INFO} "$BIN/crawler" crawl --replica "$URL" --db output/crawl.db
"$BIN/crawler" export -o output/articles.jsonl --db output/crawl.db
