#!/usr/bin/env bash
# Packs what bench/ingest.sh needs to run on a machine without Java or dcmtk (the GPU device machine: CUDA and
# Python only, no package registry): a jlink'd JRE of this JDK, this machine's dcmtk storescu/storescp with their
# libraries and dictionary, and a slim jar of the DICOM node (its classes and dependencies, no Temporal/DJL/broker)
# started by Launch.java. Writes target/device/bundle.tar.xz (about 35 MB) and target/device/run.sh; carry
# target/device and run `bash target/device/run.sh [small large reps]` there (bench/RESULTS.md has the runs).
# Usage: bench/device/bundle.sh   (from the repository root, after mvn -DskipTests install)
set -euo pipefail
cd "$(dirname "$0")/../.."
jar=infra/target/myoflow.jar; out=target/device
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$work/classes" "$work/b/dcmtk/bin" "$work/b/dcmtk/lib" "$work/b/dcmtk/share"
# the node's classes and runtime dependencies only (the fat jar also carries the broker, Temporal, DJL and PyTorch)
(cd "$work/classes" && unzip -q "$OLDPWD/$jar" 'org/myoflow/*' 'com/pixelmed/*' 'javax/vecmath/*' 'org/slf4j/*' \
  'org/apache/kafka/clients/*' 'org/apache/kafka/common/*' 'io/micrometer/*' 'org/HdrHistogram/*' \
  'org/LatencyUtils/*' 'picocli/*' 'ch/qos/logback/*' 'com/fasterxml/*' 'logback*.xml' \
  'META-INF/services/org.slf4j.spi.SLF4JServiceProvider' \
  -x 'org/myoflow/model/bundled/*' 'com/pixelmed/validate/*' 'com/pixelmed/doseocr/*')
javac -proc:none -cp "$work/classes" -d "$work/classes" bench/device/Launch.java
printf 'Main-Class: Launch\n' > "$work/manifest"
jar --create --no-compress --file "$work/b/myoflow-slim.jar" --manifest "$work/manifest" -C "$work/classes" .
jlink --add-modules java.base,java.desktop,java.naming,java.net.http,java.rmi,java.security.jgss,java.security.sasl,java.sql,jdk.management,jdk.unsupported,java.logging,java.management,java.xml,jdk.crypto.ec,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --output "$work/b/jre"
cp "$(command -v storescu)" "$(command -v storescp)" "$work/b/dcmtk/bin/"
for l in $(ldd "$(command -v storescu)" "$(command -v storescp)" | awk '/=>/ {print $3}' | sort -u); do
  case "$(basename "$l")" in libc.so*|libm.so*|libstdc++*|libgcc_s*|libresolv*) ;; *) cp -L "$l" "$work/b/dcmtk/lib/" ;; esac
done
cp /usr/share/libdcmtk17/dicom.dic /usr/share/libdcmtk17/private.dic "$work/b/dcmtk/share/"
(cd "$work/b" && tar cf - . | xz -T2 -9) > "$out/bundle.tar.xz"
cat > "$out/run.sh" <<'RUN'
# Runs bench/ingest.sh with the carried JRE, node jar and dcmtk; the new RESULTS section is left under $OUT.
set -u
B=/tmp/myoflow-device; rm -rf $B; mkdir -p $B
/usr/bin/python3 -c "import tarfile; tarfile.open('target/device/bundle.tar.xz', 'r:xz').extractall('$B')"
export PATH=$B/jre/bin:$B/dcmtk/bin:$PATH LD_LIBRARY_PATH=$B/dcmtk/lib MYOFLOW_JAR=$B/myoflow-slim.jar
export DCMDICTPATH=$B/dcmtk/share/dicom.dic:$B/dcmtk/share/private.dic
lscpu | grep -E '^Model name|^CPU\(s\)'
cp bench/RESULTS.md "${OUT:-/tmp}/RESULTS.before"
timeout "${LIMIT:-560}" bench/ingest.sh "$@" > "${OUT:-/tmp}/ingest.log" 2>&1; echo "ingest.sh exit $?"
diff "${OUT:-/tmp}/RESULTS.before" bench/RESULTS.md | sed -n 's/^> //p' > "${OUT:-/tmp}/new-section.md"
cat "${OUT:-/tmp}/new-section.md"
RUN
ls -la "$out"
