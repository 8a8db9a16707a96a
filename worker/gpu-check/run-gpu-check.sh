#!/usr/bin/env bash
# Monoscope GPU check (README.md): runs on a machine with an NVIDIA GPU and no network, from the unpacked bundle,
# building nothing. Prints one table:
#   - single-stream decode speed through the worker (monitor --json) on the CPU and on the GPU;
#   - whether the worker's defects on the GPU equal those on the CPU (same clip);
#   - a ladder of concurrent server-mode workers (one JVM each, as in pods), each fed its own real-time 1080p30
#     stream over UDP on loopback with every default detector on: per rung, whether every worker kept up
#     (monoscope_processing_lag_seconds under 1 s at every sample) and the CPU cores used per stream.
# usage: run-gpu-check.sh [--cpu-only] [--ladder "30 40 45 50"] [--seconds 60]
#   --cpu-only   no GPU runs: the ladder decodes on the CPU (to check the script on any machine)
#   --seconds    length of each rung's measurement window
# Workers and streams stay up from one rung to the next; each rung adds workers. Everything this script starts is
# stopped on exit. Scratch files go to $GPU_CHECK_WORK (default: ./work next to this script).
set -euo pipefail
export LC_ALL=C

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cpu_only=0
ladder="30 40 45 50"
seconds=60
while [ $# -gt 0 ]; do
  case "$1" in
    --cpu-only) cpu_only=1 ;;
    --ladder) ladder="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
ladder=$(tr ' ' '\n' <<<"$ladder" | grep -E '^[0-9]+$' | sort -n | tr '\n' ' ')

work="${GPU_CHECK_WORK:-$here/work}"
run="$work/run"
rm -rf "$run" "$work/syslib"
mkdir -p "$run" "$work/syslib" "$work/tmp"
t_start=$(date +%s)
say() { echo "[$(( $(date +%s) - t_start ))s] $*" >&2; }

# Everything started here, stopped on exit by process id.
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# The bundled system libraries, only those this machine lacks (its own win when present).
ldcache=$( { ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null || true)
for f in "$here"/syslib/*; do
  so=$(basename "$f")
  grep -q "[[:space:]]$so[[:space:]]" <<<"$ldcache" || ln -sf "$f" "$work/syslib/$so"
done
export LD_LIBRARY_PATH="$work/syslib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

java="$here/jre/bin/java"
jar="$here/monoscope-worker.jar"
jopts=(-XX:+UseSerialGC -Xmx256m "-Dorg.bytedeco.javacpp.cachedir=$work/javacpp" "-Djava.io.tmpdir=$work/tmp")

say "unpacking the bundled FFmpeg"
ff=$("$java" "${jopts[@]}" -cp "$here/tools:$here/lib/*" FfmpegPath)
ffenv=(env "LD_LIBRARY_PATH=$(dirname "$ff"):$LD_LIBRARY_PATH")

gpu="none (--cpu-only)"
if [ "$cpu_only" = 0 ]; then
  gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1 || true)
  gpu=${gpu:-"nvidia-smi not found or failed"}
fi

# 20 s of 1080p30 H.264 8 Mb/s + AAC: black 3-6 s, frozen 9-12 s, silent 13-17 s.
clip="$work/clip-1080p30-h264.ts"
if [ ! -s "$clip" ]; then
  say "generating the 1080p30 H.264 clip"
  "${ffenv[@]}" "$ff" -hide_banner -loglevel error -nostdin -y \
    -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=17" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=20" \
    -filter_complex "[0:v]loop=loop=90:size=1:start=270,setpts=N/30/TB,drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='between(t,3,6)'[v];[1:a]volume=volume=0:enable='between(t,13,17)'[a]" \
    -map "[v]" -map "[a]" -c:v libopenh264 -b:v 8M -maxrate 8M -g 60 -c:a aac -b:a 128k -pcr_period 20 -f mpegts "$clip.tmp"
  mv "$clip.tmp" "$clip"
fi

# --- single stream ------------------------------------------------------------------------------------------
# field NAME of the summary line of a monitor --json run
summary_field() { sed -nE 's/.*"event":"summary".*"'"$2"'":"?([^",}]*).*/\1/p' "$1" | head -1; }
defects_of() { sed -nE 's/.*"event":"defect_ended".*"type":"([^"]+)".*"start":([0-9.]+),"end":([0-9.]+).*/\1 \2-\3/p' "$1"; }

single() { # mode → "decoder fps"; files single-<mode>.jsonl/.err
  local mode=$1
  "$java" "${jopts[@]}" -jar "$jar" monitor --json --decoder "$mode" "$clip" \
    >"$run/single-$mode.jsonl" 2>"$run/single-$mode.err" || true
  local frames wall dec
  frames=$(summary_field "$run/single-$mode.jsonl" frames)
  wall=$(summary_field "$run/single-$mode.jsonl" wallSeconds)
  dec=$(summary_field "$run/single-$mode.jsonl" decoder)
  awk -v f="${frames:-0}" -v w="${wall:-0}" -v d="${dec:-failed}" 'BEGIN { printf "%s %.0f\n", d, (w > 0 ? f / w : 0) }'
}

say "single stream on the CPU"
read -r cpu_dec cpu_fps < <(single cpu)
cpu_defects=$(defects_of "$run/single-cpu.jsonl" | tr '\n' ',' | sed 's/,$//')
gpu_line="not run (--cpu-only)"
same="not run (--cpu-only)"
if [ "$cpu_only" = 0 ]; then
  say "single stream on the GPU"
  read -r gpu_dec gpu_fps < <(single gpu)
  gpu_defects=$(defects_of "$run/single-gpu.jsonl" | tr '\n' ',' | sed 's/,$//')
  reason=$(grep -m1 'decoding on the CPU' "$run/single-gpu.err" 2>/dev/null || true)
  gpu_line="$gpu_fps fps (decoder: $gpu_dec${reason:+; $reason})"
  if [ "$gpu_defects" = "$cpu_defects" ] && [ -n "$cpu_defects" ]; then same="yes: $gpu_defects"
  else same="NO: cpu [$cpu_defects] gpu [$gpu_defects]"; fi
fi

# --- ladder ---------------------------------------------------------------------------------------------------
mode=gpu
if [ "$cpu_only" = 1 ]; then mode=cpu; fi
tck=$(getconf CLK_TCK 2>/dev/null || echo 100)
wpid=()

http_get() { # ip path → body (bash's /dev/tcp: no curl on a bare machine); reads Content-Length bytes
  local line len=0 body=""
  exec 3<>"/dev/tcp/$1/8080" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$2" "$1" >&3
  while IFS= read -r -t 3 line <&3; do
    line=${line%$'\r'}
    [ -z "$line" ] && break
    if [[ ${line,,} == content-length:* ]]; then len=${line#*:}; len=${len// /}; fi
  done
  if [ "$len" -gt 0 ]; then IFS= read -r -d '' -N "$len" -t 3 body <&3 || true; fi
  exec 3<&-
  printf '%s\n' "$body"
}
fetch_all() { # n path → $run/poll/<i>: the body from each of the first n workers, fetched in parallel
  local n=$1 path=$2 i fp=()
  mkdir -p "$run/poll"
  for ((i = 0; i < n; i++)); do
    ( http_get "$(ip_of "$i")" "$path" >"$run/poll/$i" 2>/dev/null || : >"$run/poll/$i" ) &
    fp+=("$!")
  done
  for p in "${fp[@]}"; do wait "$p" || true; done
}
ip_of() { echo "127.0.$(( $1 / 250 + 1 )).$(( $1 % 250 + 1 ))"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

start_stream() { # worker i with its own UDP stream on port 20000+i; the report/metrics on <ip_of i>:8080
  local i=$1 port=$((20000 + $1))
  MONOSCOPE_CONFIG="{\"source\":{\"url\":\"udp://127.0.0.1:$port\"},\"decoder\":\"$mode\"}" POD_IP="$(ip_of "$i")" \
    "$java" "${jopts[@]}" -XX:ActiveProcessorCount=2 -jar "$jar" server >"$run/worker-$i.log" 2>&1 &
  wpid[i]=$!
  pids+=("$!")
  "${ffenv[@]}" "$ff" -hide_banner -loglevel error -nostdin -re -stream_loop -1 -i "$clip" -c copy \
    -pcr_period 20 -f mpegts "udp://127.0.0.1:$port?pkt_size=1316" >"$run/sender-$i.log" 2>&1 &
  pids+=("$!")
}

rows=()
running=0
for n in $ladder; do
  say "ladder: $n streams ($mode), starting $((n - running)) more"
  for ((i = running; i < n; i++)); do start_stream "$i"; done
  running=$n
  # wait until every worker has connected and decodes (at most 60 s), then let the new ones settle
  deadline=$(( $(date +%s) + 60 ))
  while :; do
    connected=0
    fetch_all "$n" /api/v1/report
    for ((i = 0; i < n; i++)); do
      if grep -q '"connected":true' "$run/poll/$i"; then connected=$((connected + 1)); fi
    done
    if [ "$connected" = "$n" ] || [ "$(date +%s)" -ge "$deadline" ]; then break; fi
    sleep 1
  done
  sleep 3
  on_gpu=0
  fetch_all "$n" /api/v1/report
  for ((i = 0; i < n; i++)); do
    if grep -q '"type":"cuda"' "$run/poll/$i"; then on_gpu=$((on_gpu + 1)); fi
  done
  declare -A maxlag=()
  c0=0
  for ((i = 0; i < n; i++)); do c0=$((c0 + $(cpu_ticks "${wpid[i]}"))); maxlag[$i]=0; done
  w0=$(date +%s.%N)
  end=$(( $(date +%s) + seconds ))
  while [ "$(date +%s)" -lt "$end" ]; do
    fetch_all "$n" /q/metrics
    for ((i = 0; i < n; i++)); do
      lag=$(awk '/^monoscope_processing_lag_seconds/ { v = $NF } END { print v }' "$run/poll/$i")
      lag=${lag:-999} # no answer: not keeping up
      maxlag[$i]=$(awk -v a="${maxlag[$i]}" -v b="$lag" 'BEGIN { print (b > a ? b : a) }')
    done
    sleep 2
  done
  c1=0
  for ((i = 0; i < n; i++)); do c1=$((c1 + $(cpu_ticks "${wpid[i]}"))); done
  w1=$(date +%s.%N)
  kept=0
  worst=0
  for ((i = 0; i < n; i++)); do
    if awk -v l="${maxlag[$i]}" 'BEGIN { exit !(l < 1) }'; then kept=$((kept + 1)); fi
    worst=$(awk -v a="$worst" -v b="${maxlag[$i]}" 'BEGIN { print (b > a ? b : a) }')
  done
  per=$(awk -v c=$((c1 - c0)) -v t="$tck" -v a="$w0" -v b="$w1" -v n="$n" 'BEGIN { printf "%.3f", c / t / (b - a) / n }')
  verdict=no
  if [ "$kept" = "$n" ]; then verdict=yes; fi
  rows+=("$(printf '%7s  %-8s %9s  %9.2f  %16s  %9s' "$n" "$verdict" "$kept/$n" "$worst" "$per" "$on_gpu/$n")")
  unset maxlag
done

cleanup
pids=()
total=$(( $(date +%s) - t_start ))

echo
echo "Monoscope GPU check — GPU: $gpu; $(nproc) CPUs; $(date -u +%Y-%m-%dT%H:%MZ)"
echo "Clip: 20 s 1080p30 H.264 8 Mb/s + AAC (black 3-6 s, frozen 9-12 s, silent 13-17 s)"
echo
printf '%-44s %s\n' "single stream, decode + detectors, CPU" "$cpu_fps fps (decoder: $cpu_dec)"
printf '%-44s %s\n' "single stream, decode + detectors, GPU" "$gpu_line"
printf '%-44s %s\n' "defects on the GPU equal those on the CPU" "$same"
echo
echo "Ladder: N workers, each a real-time 1080p30 UDP stream, every default detector, ${seconds} s per rung ($mode)"
printf '%7s  %-8s %9s  %9s  %16s  %9s\n' streams "kept up" "lag < 1s" "max lag s" "CPU cores/stream" "on GPU"
for r in "${rows[@]}"; do echo "$r"; done
echo
echo "Whole run: ${total} s. Logs: $run"
