#!/usr/bin/env bash
# Builds target/plugin/vmconfig: the static launcher with a jlink'ed runtime, the application jar, an AOT cache
# (Java 25) or AppCDS archive (Java 17) and the JVM options appended as its payload. Run by Maven at `package`.
# Usage: build-plugin.sh SOURCE_DIR TARGET_DIR APP_JAR
set -euo pipefail
src=$(cd "$1" && pwd)
target=$(cd "$2" && pwd)
jar=$(readlink -f "$3")
stage="$target/plugin-stage"
out="$target/plugin/vmconfig"

# The launcher links glibc and libzstd statically, the payload is compressed with the zstd tool: say what to
# install instead of failing half-way.
missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v zstd >/dev/null 2>&1 || missing+=(zstd)
printf '#include <zstd.h>\nint main(void){return (int)ZSTD_versionNumber() < 0;}\n' \
  | gcc -x c -static -o /dev/null - -lzstd >/dev/null 2>&1 \
  || missing+=("libc6-dev libzstd-dev (static libc.a and libzstd.a)")
if (( ${#missing[@]} )); then
  echo "build-plugin: cannot build the plugin executable, missing: ${missing[*]}" >&2
  echo "build-plugin: on Debian/Ubuntu: apt-get install gcc libc6-dev libzstd-dev zstd (or build with -DskipPluginBuild=true -DskipITs)" >&2
  exit 1
fi

jdk="${VMCONFIG_PLUGIN_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [[ ! -x "$jdk/bin/jlink" ]]; then
  jdk=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  echo "build-plugin: Temurin 25 not found, falling back to $jdk (the bundle carries its C++ runtime)" >&2
fi
version=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')

rm -rf "$stage"
mkdir -p "$stage/app" "$(dirname "$out")"
modules=java.base,java.logging,java.xml,java.naming,java.net.http,java.management,jdk.unsupported,jdk.crypto.ec
# The jimage and the jar are stored uncompressed: the payload's zstd frames (128 MiB window) compress them to less
# than half of what per-entry zip compression gives, and the JVM reads them without inflating. No --compress at all
# on 21+: its zip-0 still wraps every resource in a stored-deflate frame, so each class read from the jimage was
# inflated into a copy, and libzip was loaded for it (docs/benchmarks.md, issue 13, eleventh session).
compress=()
(( version < 21 )) && compress=(--compress=0)
# Java 17's AppCDS (dynamic archive) needs the base CDS archive in the runtime; 25's AOT cache does not
cds=(); (( version < 25 )) && cds=(--generate-cds-archive)
# The JDK classes the plugin loads after its handshake (TLS, the HTTP client: ~1,500, not in the handshake-only AOT
# cache) are read from the mapped jimage; stored together at its start they touch fewer pages of it.
# jimage-order.txt comes from a class+load log of bench/plugin-startup (docs/benchmarks.md says how).
order=()
[[ -f "$src/jimage-order.txt" ]] && order=("--order-resources=@$src/jimage-order.txt")
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  "${compress[@]}" "${cds[@]}" "${order[@]}" --output "$stage/runtime" 2> >(grep -v -i "deprecat" >&2 || true)
rm -rf "$target/plugin-jar" && mkdir -p "$target/plugin-jar"
(cd "$target/plugin-jar" && "$jdk/bin/jar" --extract --file "$jar")
# fabric8's registry of typed models: the first time its Jackson layer meets a field typed KubernetesResource (the
# kubeconfig's extensions, when KUBECONFIG is parsed) it instantiates every class this service file lists and reads
# their annotations — 661 model classes, ~10 MiB of class metadata the plugin never uses, since it reads every kind
# as a generic resource (KubeCluster). Without the file, such fields become GenericKubernetesResource.
rm "$target/plugin-jar/META-INF/services/io.fabric8.kubernetes.api.model.KubernetesResource"
"$jdk/bin/jar" --create --no-compress --no-manifest --file "$stage/app/vmconfig.jar" -C "$target/plugin-jar" .
rm -rf "$target/plugin-jar"

# Libraries the runtime links beyond glibc's (only the Debian JDK 17: libstdc++, libgcc_s) go inside the bundle.
mkdir -p "$stage/runtime/lib/bundled"
bundled=0
for lib in $(find "$stage/runtime" -name '*.so' -o -path '*/bin/java' | xargs ldd 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | sort -u); do
  case "$(basename "$lib")" in
    ld-linux*|libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|libz.so*) ;;
    *) if [[ "$lib" != "$stage"* && ! -e "$stage/runtime/lib/$(basename "$lib")" ]]; then cp -L "$lib" "$stage/runtime/lib/bundled/"; bundled=1; fi ;;
  esac
done

{
  echo "# JVM options, one a line; \${DIR} is the unpacked folder"
  (( bundled )) && echo "env:LD_LIBRARY_PATH=\${DIR}/runtime/lib/bundled"
  echo "-XX:+DisplayVMOutputToStderr"
  echo "-Xlog:disable"
  echo "-Xlog:all=warning:stderr"
  echo "-XX:-UsePerfData"
  echo "-XX:+UseSerialGC"
  echo "-XX:TieredStopAtLevel=1"
  # C1 compiles a method at 3x its default call counts: what runs once per Execute is still compiled within the first
  # few hundred Executes, the rarely run start-up and error paths stay interpreted (bench/plugin-startup --jvm-opt
  # -XX:CompileThresholdScaling=N: RSS after 10,000 Executes 97.5 / 96.2 / 95.3 / 95.0 MiB at 1 / 2 / 3 / 5, Execute
  # p50 within the spread up to 3, slower at 5; docs/benchmarks.md, issue 13, tenth session)
  echo "-XX:CompileThresholdScaling=3"
  echo "-XX:ReservedCodeCacheSize=32m"
  # Java 25's AOT cache replays what its training run recorded (method profiles, compile tasks) on a thread of its
  # own at class initialisation, beside main on the same 2 cores; the plugin runs C1 only, which does not use the
  # profiles (bench/plugin-startup, issue 13, eleventh session: ~10 ms of the handshake)
  (( version >= 25 )) && { echo "-XX:+UnlockDiagnosticVMOptions"; echo "-XX:-AOTReplayTraining"; }
  # core reflection through native accessors: the method-handle accessors (JDK 18+) spin and load a class per
  # reflected shape, interpreted, before the handshake (the security providers); the plugin's
  # Execute path does not reflect (docs/benchmarks.md, issue 13, eleventh session)
  echo "-Djdk.reflect.useNativeAccessorOnly=true"
  echo "-XX:MaxMetaspaceSize=96m"
  echo "-Xss512k"
  echo "-Xms16m"
  echo "-Xmx128m"
  # a process that ran out of heap ends (exit 3, the JVM's line on stderr) instead of living on with a thread of the
  # transport or of a library dead half-way: the call fails and Velero's restartable process starts a fresh plugin
  # on the next call (PluginLaunchIT; docs/velero-plugin.md, "Large messages")
  echo "-XX:+ExitOnOutOfMemoryError"
  # keep the committed heap close to what is live: the serial collector gives memory back after a full GC
  echo "-XX:MinHeapFreeRatio=10"
  echo "-XX:MaxHeapFreeRatio=30"
  (( version >= 22 )) && echo "--enable-native-access=ALL-UNNAMED"
  # protobuf uses sun.misc.Unsafe; Java 24+ would print a plain-text warning on stderr (JEP 498)
  (( version >= 24 )) && echo "--sun-misc-unsafe-memory-access=allow"
} > "$stage/jvm.common"

# the plugin's java with the built options, as the launcher starts it
plugin_java=("$stage/runtime/bin/java")
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* || "$line" == env:* || "$line" == cwd:* ]] && continue
  plugin_java+=("${line//\$\{DIR\}/$stage}")
done < "$stage/jvm.common"

# Training run (Train.java, build tooling: not in the jar): the plugin started as Velero starts it, then ended with
# SIGTERM as go-plugin ends a plugin. VMCONFIG_PLUGIN_TRAINING=handshake (default): the cache holds what a plugin
# process loads up to its handshake line and its first answers (ListPlugins, AppliesTo: the connection and the call
# path); =execute: also vm-backup's config-only Execute path against an HTTPS API stub (the training VMs are the test
# fixtures). Why the default: JDK 25 loads every class of the cache at start, so the Execute path's
# classes would be resident in every process from its first millisecond, and they take as much room in the cache as
# in Metaspace (docs/benchmarks.md, issue 13: RSS after the handshake 62 -> 94 MiB, after 10,000 Executes 116 -> 113).
training=${VMCONFIG_PLUGIN_TRAINING:-handshake}
train() {
  rm -rf "$target/plugin-training"
  (cd "$stage" && LD_LIBRARY_PATH="$stage/runtime/lib/bundled" "$jdk/bin/java" -cp "$stage/app/vmconfig.jar" \
    "$src/Train.java" "$target/plugin-training" "$src/../../test/resources/fixtures" "$training" \
    "${plugin_java[@]}" "$@" --log-level info --features=)
  rm -rf "$target/plugin-training"
}
if (( version >= 25 )); then
  # No training data in the cache either: nothing would replay it (-XX:-AOTReplayTraining above)
  train -XX:-AOTRecordTraining \
    -XX:AOTCacheOutput="$stage/app.aot" -cp "$stage/app/vmconfig.jar" io.vmconfig.app.PluginMain
  [[ -s "$stage/app.aot" ]] || { echo "build-plugin: the training run wrote no AOT cache" >&2; exit 1; }
  archive="-XX:AOTCache=\${DIR}/app.aot"
  classpath="\${DIR}/app/vmconfig.jar"
else
  # Java 17 checks the class path string itself: dump and run from the unpacked folder with a relative path
  train -XX:ArchiveClassesAtExit=app.jsa -cp app/vmconfig.jar io.vmconfig.app.PluginMain
  archive="-XX:SharedArchiveFile=\${DIR}/app.jsa"
  classpath="app/vmconfig.jar"
  echo "cwd:\${DIR}" >> "$stage/jvm.common"
fi
{
  cat "$stage/jvm.common"
  echo "$archive"
  echo "-cp"
  echo "$classpath"
  echo "io.vmconfig.app.PluginMain"
} > "$stage/jvm.args"
rm "$stage/jvm.common"

gcc -O2 -Wall -Wno-format-truncation -static -o "$target/plugin-launcher" "$src/launcher.c" -lzstd
"$jdk/bin/java" "$src/Pack.java" "$target/plugin-launcher" "$stage" "$out"
ls -l "$out"
