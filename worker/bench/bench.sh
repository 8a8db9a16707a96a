#!/usr/bin/env bash
# make bench: the worker's CPU and memory against FFmpeg, measured in the same run on the same clip.
#   decode only      ffmpeg -i clip -f null -                      (the floor)
#   ffmpeg filters   + blackdetect,freezedetect and silencedetect  (the anchor)
#   monoscope        bin/monoscope monitor --json clip             (whole process, and steady state: CPU from its
#                                                                   first decoded frame to its last, from its summary)
#                    once with every default detector, once with the core set (black, freeze, silence,
#                    corruption, signal_loss: the others disabled), once with --evidence-dir (alarm recordings:
#                    the ring of packets and the pictures held, their cost)
# Goals: steady / decode-only <= 1.20 with every detector and <= 1.10 with the core set, whole <= 1.25,
# peak RSS <= 256 MiB; evidence (alarm recordings) <= 2 % more steady CPU and <= 64 MiB more peak RSS.
# Run it on a quiet machine: other work on the CPUs shows up in every figure (the best of BENCH_ROUNDS rounds, 3 by
# default, damps what it cannot avoid).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/worker/target/bench"
mkdir -p "$work"

# the ffmpeg binary the bytedeco natives jar ships (the same libraries the worker decodes with)
natives=$(ls "$root"/worker/target/lib/ffmpeg-*-linux-x86_64.jar 2>/dev/null | head -1)
[ -n "$natives" ] || { echo "bench: build the worker first (make build)" >&2; exit 1; }
bin="$work/ffmpeg-bin"
if [ ! -x "$bin/ffmpeg" ]; then
  rm -rf "$bin" && mkdir -p "$bin"
  (cd "$bin" && unzip -q -j -o "$natives" 'org/bytedeco/ffmpeg/linux-x86_64/*')
  chmod +x "$bin/ffmpeg" "$bin/ffprobe"
fi
export LD_LIBRARY_PATH="$bin${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
ffmpeg="$bin/ffmpeg"

clip="$work/bench-1080p30-h264-8M-pcr20.ts"
if [ ! -f "$clip" ]; then
  echo "bench: generating 60 s of 1080p30 H.264 8 Mb/s + AAC (once)..." >&2
  "$ffmpeg" -hide_banner -loglevel error -nostdin -y \
    -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=60" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=60" \
    -c:v libopenh264 -b:v 8M -maxrate 8M -g 60 -c:a aac -b:a 128k -pcr_period 20 -f mpegts "$clip.tmp"
  mv "$clip.tmp" "$clip"
fi

# the first monitor run after a build records the class archive that later starts map (worker/README.md): made
# here, on a 1 s clip, so that the figures below are those of every later run
warmup="$work/warmup-1s.ts"
[ -f "$warmup" ] || "$ffmpeg" -hide_banner -loglevel error -nostdin -y -f lavfi -i "testsrc2=size=320x180:rate=25:duration=1" \
  -f lavfi -i "sine=duration=1" -c:v libopenh264 -c:a aac -f mpegts "$warmup"
"$root/bin/monoscope" monitor --json "$warmup" >/dev/null

# runs a command under /usr/bin/time; prints "cpu_seconds peak_rss_kib"
measure() {
  local log="$work/time.txt"
  /usr/bin/time -v -o "$log" "$@" >"$work/stdout.txt" 2>"$work/stderr.txt" || {
    echo "bench: failed: $*" >&2; cat "$work/stderr.txt" >&2; exit 1; }
  awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} /Maximum resident/ {r=$2} END {printf "%.2f %d\n", u+s, r}' "$log"
}

# Each run BENCH_ROUNDS times (default 3), the four interleaved so that a busy spell hits them alike; a row shows
# its least CPU (the run least disturbed) and its largest peak RSS.
rounds=${BENCH_ROUNDS:-3}
least() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }'; }
most() { awk -v a="$1" -v b="$2" 'BEGIN { print (b == "" || a + 0 > b + 0) ? a : b }'; }
# a / b with 2 decimals, or as many as $3
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { printf "%." d "f", a / b }'; }
core_only="av_sync,loudness,clipping,frame_drop,format_change,transport"
steady_of() { sed -E 's/.*"cpuSeconds":([0-9.]+).*/\1/' <<<"$(grep '"event":"summary"' "$work/stdout.txt")"; }
dec_cpu= dec_rss= flt_cpu= flt_rss= core_cpu= core_rss= core_steady= mono_cpu= mono_rss= steady_cpu= ev_rss= ev_steady=
# the recordings' cost is a few per cent, under this kind of machine's noise between runs: each round's run with them
# is also set against the same round's run without (a paired ratio, which load that drifts over rounds leaves alike)
paired=()
# and each monoscope figure against the same round's decode-only run: the median of those ratios, beside the ratio of
# the least figures (which a quiet moment for one run and a busy one for the other can move by 0.2 either way)
by_round_core= by_round_core_steady= by_round_whole= by_round_steady=
for round in $(seq 1 "$rounds"); do
  echo "bench: round $round of $rounds: ffmpeg decode only, ffmpeg with blackdetect,freezedetect + silencedetect," \
    "monoscope monitor --json (core set, every detector)..." >&2
  read -r cpu rss < <(measure "$ffmpeg" -hide_banner -nostdin -i "$clip" -f null -)
  dec_cpu=$(least "$cpu" "$dec_cpu"); dec_rss=$(most "$rss" "$dec_rss")
  round_dec=$cpu
  read -r cpu rss < <(measure "$ffmpeg" -hide_banner -nostdin -i "$clip" \
    -vf blackdetect,freezedetect -af silencedetect -f null -)
  flt_cpu=$(least "$cpu" "$flt_cpu"); flt_rss=$(most "$rss" "$flt_rss")
  read -r cpu rss < <(measure "$root/bin/monoscope" monitor --json --disable "$core_only" "$clip")
  core_cpu=$(least "$cpu" "$core_cpu"); core_rss=$(most "$rss" "$core_rss")
  round_core_steady=$(steady_of)
  core_steady=$(least "$round_core_steady" "$core_steady")
  by_round_core+=" $(ratio "$cpu" "$round_dec" 3)"
  by_round_core_steady+=" $(ratio "$round_core_steady" "$round_dec" 3)"
  read -r cpu rss < <(measure "$root/bin/monoscope" monitor --json "$clip")
  mono_cpu=$(least "$cpu" "$mono_cpu"); mono_rss=$(most "$rss" "$mono_rss")
  round_steady=$(steady_of)
  steady_cpu=$(least "$round_steady" "$steady_cpu")
  by_round_whole+=" $(ratio "$cpu" "$round_dec" 3)"
  by_round_steady+=" $(ratio "$round_steady" "$round_dec" 3)"
  rm -rf "$work/evidence"
  read -r cpu rss < <(measure "$root/bin/monoscope" monitor --json --evidence-dir "$work/evidence" "$clip")
  ev_rss=$(most "$rss" "$ev_rss"); ev_steady=$(least "$(steady_of)" "$ev_steady")
  paired+=("$(ratio "$(steady_of)" "$round_steady" 3)")
done
summary=$(grep '"event":"summary"' "$work/stdout.txt")
defects=$(sed -E 's/.*"defects":(\{[^}]*\}).*/\1/' <<<"$summary")

mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

echo
echo "60 s of 1080p30 H.264 8 Mb/s + AAC, $(nproc) CPUs; best of $rounds interleaved rounds (least CPU, largest RSS)"
printf "%-36s %10s %10s %12s\n" "run" "CPU-s" "÷ decode" "peak RSS MiB"
printf "%-36s %10s %10s %12s\n" "ffmpeg decode only" "$dec_cpu" "1.00" "$(mib "$dec_rss")"
printf "%-36s %10s %10s %12s\n" "ffmpeg black+freeze+silencedetect" "$flt_cpu" "$(ratio "$flt_cpu" "$dec_cpu")" "$(mib "$flt_rss")"
printf "%-36s %10s %10s %12s\n" "monoscope core set, whole process" "$core_cpu" "$(ratio "$core_cpu" "$dec_cpu")" "$(mib "$core_rss")"
printf "%-36s %10s %10s %12s\n" "monoscope core set, steady" "$core_steady" "$(ratio "$core_steady" "$dec_cpu")" "-"
printf "%-36s %10s %10s %12s\n" "monoscope, whole process" "$mono_cpu" "$(ratio "$mono_cpu" "$dec_cpu")" "$(mib "$mono_rss")"
printf "%-36s %10s %10s %12s\n" "monoscope, steady (first→last frame)" "$steady_cpu" "$(ratio "$steady_cpu" "$dec_cpu")" "-"
printf "%-36s %10s %10s %12s\n" "monoscope --evidence-dir, steady" "$ev_steady" "$(ratio "$ev_steady" "$dec_cpu")" \
  "$(mib "$ev_rss")"
echo
median() { tr ' ' '\n' <<<"$*" | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : sprintf("%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
median_paired=$(median "${paired[@]}")
echo "evidence (alarm recordings): steady CPU $(ratio "$ev_steady" "$steady_cpu") × without (least of each)," \
  "median of the rounds' paired ratios $median_paired ×," \
  "peak RSS +$(mib "$((ev_rss - mono_rss))") MiB (goals: ≤ 1.02 ×, ≤ +64 MiB)"
echo "each against the same round's decode-only run, median of the $rounds rounds: core set whole" \
  "$(median $by_round_core) ×, steady $(median $by_round_core_steady) ×; every detector whole" \
  "$(median $by_round_whole) ×, steady $(median $by_round_steady) ×"
echo "goals: steady ≤ 1.20 (every detector), core set steady ≤ 1.10, whole ≤ 1.25, peak RSS ≤ 256 MiB"
echo "monoscope found (every detector): $defects"
