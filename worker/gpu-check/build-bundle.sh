#!/usr/bin/env bash
# make gpu-check: builds, here, the offline bundle for a machine with an NVIDIA GPU and no network
# (README.md). Needs the worker built (worker/target/monoscope-worker.jar + lib/), a JDK with jmods, unzip, xz.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="$root/worker/target"
out="$target/gpu-check"
name=monoscope-gpu-check
bundle="$out/$name"
archive="$out/$name.tar.xz"
limit_mib=64

[ -f "$target/monoscope-worker.jar" ] || { echo "gpu-check: build the worker first (make build)" >&2; exit 1; }
natives=$(ls "$target"/lib/ffmpeg-*-linux-x86_64.jar | head -1)
rm -rf "$bundle" "$archive"
mkdir -p "$bundle/lib" "$bundle/syslib" "$bundle/tools"

echo "gpu-check: the worker and its libraries" >&2
cp "$target/monoscope-worker.jar" "$bundle/"
cp "$target"/lib/*.jar "$bundle/lib/"
# the natives jar is deflated: stored, xz packs its executables and .so files a quarter smaller
repack=$(mktemp -d)
(cd "$repack" && unzip -q "$natives" && rm -f "$bundle/lib/$(basename "$natives")" \
  && jar --create --no-compress --file "$bundle/lib/$(basename "$natives")" --manifest META-INF/MANIFEST.MF -C . .)
rm -rf "$repack"

echo "gpu-check: a jlink'd Java runtime" >&2
modules=$(jdeps --print-module-deps --ignore-missing-deps --multi-release 17 -cp "$target/lib/*" \
  "$target/monoscope-worker.jar")
# JavaCPP needs jdk.unsupported (Unsafe); the metrics read process CPU through jdk.management.
modules="$modules,jdk.unsupported,java.management,jdk.management,java.logging"
# uncompressed modules: xz packs them far smaller than jlink's own zip compression
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --output "$bundle/jre"

echo "gpu-check: the system libraries the FFmpeg build links" >&2
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
unzip -q -j -o "$natives" 'org/bytedeco/ffmpeg/linux-x86_64/*' -d "$unpacked"
# everything the FFmpeg libraries resolve outside their own folder, except glibc itself (the machine's own
# must be used); run-gpu-check.sh puts only those the GPU machine lacks on LD_LIBRARY_PATH
(cd "$unpacked" && for f in *.so* ffmpeg; do LD_LIBRARY_PATH="$unpacked" ldd "$f"; done) 2>/dev/null \
  | awk '/=> \// {print $3}' | grep -v "^$unpacked" | sort -u \
  | grep -Ev '/(libc|libm|libdl|librt|libpthread|libresolv|ld-linux-x86-64)\.so' \
  | while read -r so; do cp -L "$so" "$bundle/syslib/"; done

echo "gpu-check: tools and the script" >&2
javac -d "$bundle/tools" -cp "$target/lib/*" "$root/worker/gpu-check/FfmpegPath.java"
cp "$root/worker/gpu-check/run-gpu-check.sh" "$root/worker/gpu-check/README.md" "$bundle/"
chmod +x "$bundle/run-gpu-check.sh"

echo "gpu-check: compressing (xz)" >&2
tar -C "$out" -cf - "$name" | xz -6 -T0 > "$archive"
size=$(stat -c %s "$archive")
mib=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')
if [ "$size" -ge $((limit_mib * 1048576)) ]; then
  echo "gpu-check: $archive is $mib MiB, over the $limit_mib MiB limit" >&2
  exit 1
fi
echo "gpu-check: $archive ($mib MiB, limit $limit_mib MiB)"
echo "gpu-check: on the GPU machine: tar -xJf $name.tar.xz && $name/run-gpu-check.sh"
