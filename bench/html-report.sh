#!/usr/bin/env bash
# HTML report size and render time in chromium (BENCHMARKS.md, "HTML report").
# Needs the test images (scripts/make-test-images.sh examples streamlit-app; bench) and
# tests/browser/node_modules (scripts/install-test-deps.sh).
# usage: bench/html-report.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/bench-html}
CACHE=${DOCKSTAGE_IMAGE_CACHE:-$HOME/.cache/dockstage/images}
A=$CACHE/archives
mkdir -p "$OUT"
# The page is the same whichever build writes it; DOCKSTAGE picks the binary (default: release).
D=${DOCKSTAGE:-target/release/dockstage}
[[ -n ${DOCKSTAGE:-} ]] || cargo build --release -q -p dockstage
python3 - "$OUT/thirty.Dockerfile" <<'PY'
import sys
s = "FROM debian:bookworm AS s0\nRUN echo base\n"
for i in range(1, 30):
    s += f"FROM s{i-1} AS s{i}\n" if i % 7 == 0 else f"FROM python:3.11-slim AS s{i}\n"
    s += [f"COPY --from=s{i-1} /out /in/{i}\n", f"COPY --from=s0 /etc/os-release /os\nCOPY --from=s{i//2} /b /b\n",
          f"RUN --mount=type=cache,target=/c,from=s{i-2} true\n", "COPY --from=busybox:1.36 /bin/busybox /bin/\n",
          "RUN echo unused\n"][i % 5]
s += "FROM scratch AS final\n" + "".join(f"COPY --from=s{i} /x /x{i}\n" for i in range(1, 30) if i % 3)
open(sys.argv[1], "w").write(s)
PY
t() { local s; s=$(date +%s.%N); "$@"; echo "  $(echo "$(date +%s.%N) - $s" | bc) s: ${*:2:3}" >&2; }
t $D report examples/streamlit-app/Dockerfile -o "$OUT/report-streamlit.html"
t $D report "$OUT/thirty.Dockerfile" -o "$OUT/report-30-stages.html"
t $D report examples/streamlit-app/Dockerfile --image "$A/example-streamlit-app.docker.tar" --compare "$A/example-streamlit-app-single.docker.tar" -o "$OUT/report-streamlit-images.html"
t $D inspect --format html "$A/wasteful.docker.tar" -o "$OUT/inspect-wasteful.html"
if [[ -f $A/bench-big.docker.tar ]]; then
    t $D inspect --format html "$A/bench-big.docker.tar" -o "$OUT/inspect-bench-big.html"
fi
node bench/html-render.mjs "$OUT"/*.html
