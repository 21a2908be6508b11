#!/usr/bin/env bash
# The fault suite: bad inputs, huge inputs, signals, kill -9 and a full disk, each case with the exit code and the
# message fragment it must give, never a stack trace. Run from anywhere:
#
#     tools/fault_suite.sh [KILLS]        (KILLS: kill -9 trials, default 10; about 10 minutes on 2 cores)
#
# It prints one line per case and the closing figures: cases / clean, kills and bit-exact resumes, the peak memory
# (RSS) of the refused huge inputs, and the time from SIGTERM to exit. The fast part of the same checks runs in the
# JUnit suite (FaultCasesTest, IdxVerificationTest, CheckpointVerificationTest, YamlLimitsTest, ResumeTest,
# ResourceLimitsTest). The disk-full case mounts a 2 MB tmpfs, which needs root; without it the case is reported
# as not run.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KILLS="${1:-10}"
RAVINE="$ROOT/ravine"
# A chosen heap: the launcher then skips its 3 GB pre-touched heap, so each of the many short runs starts quickly.
export RAVINE_JAVA_OPTS="${RAVINE_JAVA_OPTS:--Xmx2g}"
W="$(mktemp -d /tmp/ravine-faults.XXXXXX)"
IN="$W/in"
cases=0
clean=0
failed=()

"$RAVINE" --version >/dev/null 2>&1 || { echo "fault_suite: ./ravine does not run" >&2; exit 1; }
/usr/bin/python3 "$ROOT/tools/fault_inputs.py" "$IN" "$ROOT/data/mnist-10k" >/dev/null || exit 1

# check NAME EXPECTED_RC FRAGMENT -- COMMAND...: runs the command in $IN; clean when the exit code and the fragment
# match and the output has no stack trace.
check() {
  local name="$1" want="$2" fragment="$3"
  shift 4
  local log="$W/$name.log" rc
  (cd "$IN" && timeout 300 "$@") >"$log" 2>&1
  rc=$?
  cases=$((cases + 1))
  if [ "$rc" = "$want" ] && grep -qF -- "$fragment" "$log" && ! grep -qE $'^\tat |Exception in thread|internal error' "$log"; then
    clean=$((clean + 1))
    printf 'ok    %-22s exit %-3s %s\n' "$name" "$rc" "$(grep -F -- "$fragment" "$log" | head -1 | cut -c1-150)"
  else
    failed+=("$name")
    printf 'FAIL  %-22s exit %s (want %s, "%s"): %s\n' "$name" "$rc" "$want" "$fragment" "$(tail -c 400 "$log" | tr '\n' ' ')"
  fi
}

# peak NAME -- COMMAND...: the command's peak resident memory in MB, for the refused huge inputs.
peaks=()
peak() {
  local name="$1"
  shift 2
  (cd "$IN" && /usr/bin/time -f '%M' -o "$W/$name.rss" "$@") >/dev/null 2>&1
  peaks+=("$name $(( $(tail -1 "$W/$name.rss") / 1024 )) MB")
}

echo "== bad and huge inputs"
T="$RAVINE train"
check good-config 0 "completed" -- $T good.yaml --out "$W/runs/good"
check yaml-billion-laughs 2 "expands to more than 100000 values" -- $T laughs.yaml
check yaml-self-containing 2 "contains itself through an alias" -- $T selfref.yaml
check yaml-1mb-scalar 2 "(1000000 characters in all)" -- $T bigscalar.yaml
check yaml-100mb-file 2 "too large for a configuration" -- $T hugefile.yaml
check yaml-deep-nesting 2 "Nesting Depth exceeded" -- $T deep.yaml
check yaml-tab-indent 2 "YAML syntax error at tabs.yaml line 4" -- $T tabs.yaml
check yaml-python-tag 2 "python/object/apply" -- $T tag.yaml
check yaml-duplicate-key 2 "appears twice" -- $T dupkey.yaml
check yaml-not-utf8 2 "is not UTF-8 text at line 1 (byte 0xE9" -- $T notutf8.yaml
check yaml-empty 2 "empty.yaml is empty" -- $T empty.yaml
check yaml-not-mapping 2 "must be a mapping of sections" -- $T list.yaml
check config-unknown-key 2 "did you mean 'epochs'?" -- $T unknownkey.yaml
check config-wrong-type 2 "expected an integer, got 'ten'" -- $T badtype.yaml
check config-negative 2 "must be an integer of at least 1, got -5" -- $T negative.yaml
check config-unknown-layer 2 "relux" -- $T badlayer.yaml
check config-shape 2 "add a flatten layer before the first linear layer" -- $T badshape.yaml
check config-threads 2 "training.threads: must be at most 32767" -- $T threads.yaml
check config-list-index 2 "list index 99999999999 is too large" -- $T good.yaml --set 'model.layers[99999999999]=relu'
check config-bad-set 2 "expected key.path=value" -- $T good.yaml --set nonsense
check config-missing-file 2 "does not exist" -- $T nothere.yaml
check model-too-wide 2 "needs about 23.4 GB" -- $T wide.yaml
check data-missing 2 "nothere-images-idx3-ubyte.gz, nothere-images-idx3-ubyte" -- $T missingdata.yaml
check idx-damaged-gzip 2 "download the file again" -- $T idx-damaged.yaml
check idx-wrong-crc 2 "does not match the checksum or length in its gzip trailer" -- $T idx-crc.yaml
check idx-gzip-cut 2 "truncated" -- $T idx-cutgz.yaml
check idx-gzip-no-trailer 2 "before the gzip trailer" -- $T idx-notrailer.yaml
check idx-truncated 2 "expected 156800 bytes of data (dimensions [200, 28, 28]), found 78400" -- $T idx-truncated.yaml
check idx-16-bytes-claims-2gb 2 "expected 1960000000 bytes" -- $T idx-liar.yaml
check idx-overflow-dims 2 "overflow-images-idx3-ubyte announces dimensions [65536, 65536, 65536]" -- $T idx-overflow.yaml
check idx-negative-dim 2 "which is negative" -- $T idx-negative.yaml
check idx-extra-bytes 2 "holds 10 bytes more than the 156800" -- $T idx-extra.yaml
check idx-bad-magic 2 "bad magic number" -- $T idx-badmagic.yaml
check idx-float-type 2 "element type 0x0D (float)" -- $T idx-floats.yaml
check idx-label-count 2 "holds 199 labels but images" -- $T idx-fewlabels.yaml
check idx-empty 2 "truncated: it ends before the magic number" -- $T idx-empty.yaml
check idx-2gb-real-dataset 2 "needs about 9.3 GB of memory" -- $T idx-huge.yaml
check csv-not-utf8 2 "is not UTF-8 text at line 4 (byte 0xE9" -- $T csvlatin1.yaml
check layers-20000 0 "completed" -- $T layers20k.yaml --out "$W/runs/deep"
peak idx-2gb-real-dataset -- $T idx-huge.yaml
peak idx-16-bytes-claims-2gb -- $T idx-liar.yaml
peak model-too-wide -- $T wide.yaml
peak yaml-billion-laughs -- $T laughs.yaml
peak yaml-100mb-file -- $T hugefile.yaml

echo "== checkpoints and run folders"
RUN="$W/runs/good"
CK="$(ls "$RUN"/checkpoints/step-*.ckpt | tail -1)"
# Copies of the good run, each with one damaged checkpoint: a flipped byte, a bogus array length, a cut file.
for kind in flipped bogus cut; do
  mkdir -p "$W/$kind/checkpoints" && cp "$RUN/config.yaml" "$RUN/normalizer.json" "$W/$kind/"
done
cp "$CK" "$W/flipped/checkpoints/step-000000004.ckpt"
printf '\x55' | dd of="$W/flipped/checkpoints/step-000000004.ckpt" bs=1 seek=5000 conv=notrunc status=none
/usr/bin/python3 - "$CK" "$W/bogus/checkpoints/step-000000004.ckpt" <<'EOF'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
name_len = struct.unpack(">H", b[32:34])[0]
struct.pack_into(">i", b, 34 + name_len, 0x7FFFFFF0)  # the first array claims 2^31 floats
open(sys.argv[2], "wb").write(b)
EOF
head -c 100 "$CK" > "$W/cut/checkpoints/step-000000004.ckpt"
E="$RAVINE eval"
check ckpt-flipped-byte 2 "does not match its checksum" -- $E "$W/flipped/checkpoints/step-000000004.ckpt" --data idx:good
check ckpt-bogus-length 2 "claims 2147483632 elements" -- $E "$W/bogus/checkpoints/step-000000004.ckpt" --data idx:good
check ckpt-truncated 2 "truncated" -- $E "$W/cut/checkpoints/step-000000004.ckpt" --data idx:good
peak ckpt-bogus-length -- $E "$W/bogus/checkpoints/step-000000004.ckpt" --data idx:good
check resume-damaged-only 2 "is damaged, passed over" -- $T --resume "$W/flipped"
check resume-completed 2 "nothing to resume" -- $T --resume "$RUN"
check resume-no-checkpoint 2 "no intact checkpoint" -- $T --resume "$W/cut"
check resume-not-a-run 2 "is not a run folder" -- $T --resume "$IN"
check resume-with-config 2 "--resume takes no CONFIG.yaml" -- $T good.yaml --resume "$RUN"
check out-not-empty 2 "already exists and is not empty" -- $T good.yaml --out "$RUN"

echo "== disk full (2 MB tmpfs)"
FULL="$W/full"
mkdir -p "$FULL"
if mount -t tmpfs -o size=2m tmpfs "$FULL" 2>"$W/mount.err"; then
  sed 's/out: 16}/out: 512}/; s/batch_size: 50}/batch_size: 50, checkpoint_every: 1}/' "$IN/good.yaml" > "$IN/fill.yaml"
  check disk-full 2 "No space left on device" -- $T fill.yaml --out "$FULL/run"
  leftover="$(find "$FULL" -name '*.tmp' | wc -l)"
  echo "      disk-full: $leftover temporary files left on the full disk"
  umount "$FULL"
else
  echo "not run: disk-full (mount refused: $(cat "$W/mount.err"))"
fi

echo "== SIGTERM and SIGINT"
# A run long enough to be signalled in training, and one whose loss stays high so the end-of-run analyses run.
sed 's/out: 16}/out: 1024}/; s/epochs: 1,/epochs: 30,/; s/idx:good/idx:'"${ROOT//\//\\/}"'\/data\/mnist-10k\/train/' "$IN/good.yaml" > "$IN/long.yaml"
sed 's/lr: 0.001/lr: 0.0000001/; s/name: adam/name: sgd/; s/epochs: 30,/epochs: 2,/' "$IN/long.yaml" > "$IN/stuck.yaml"
sigterm_times=()
signal_case() { # NAME SIGNAL CONFIG WAIT_FOR_PATTERN EXTRA_SLEEP FRAGMENT
  local name="$1" sig="$2" config="$3" pattern="$4" extra="$5" fragment="$6" out="$W/runs/$1" log="$W/$1.log"
  (cd "$IN" && exec "$RAVINE" train "$config" --out "$out") >"$log" 2>&1 &
  local pid=$! t0 t1 rc
  for _ in $(seq 1 600); do grep -qF -- "$pattern" "$log" 2>/dev/null && break; sleep 0.1; done
  sleep "$extra"
  t0=$(date +%s.%N)
  kill -"$sig" "$pid"
  wait "$pid"
  rc=$?
  t1=$(date +%s.%N)
  local dt
  dt=$(echo "$t1 - $t0" | bc)
  sigterm_times+=("$name ${dt:0:5} s")
  cases=$((cases + 1))
  if [ "$rc" = 130 ] && grep -q '"status" : "stopped"' "$out/summary.json" 2>/dev/null && grep -qF -- "$fragment" "$log" \
      && ls "$out"/checkpoints/step-*.ckpt >/dev/null 2>&1 && (( $(echo "$dt < 2" | bc) )); then
    clean=$((clean + 1))
    printf 'ok    %-22s exit 130 in %s s, status stopped, %s\n' "$name" "${dt:0:5}" "$(grep -o 'stopped: .*' "$log" | head -1 | cut -c1-90)"
  else
    failed+=("$name")
    printf 'FAIL  %-22s exit %s in %s s: %s\n' "$name" "$rc" "$dt" "$(tail -c 300 "$log" | tr '\n' ' ')"
  fi
}
signal_case sigterm-training TERM long.yaml "epoch  2/30" 0.5 "stopped: interrupted (SIGTERM) at step"
signal_case sigint-training INT long.yaml "epoch  1/30" 0.3 "stopped: interrupted (SIGINT) at step"
# The end-of-run check trains reference networks for about 6 s after the last epoch: the signal comes 1 s into it.
signal_case sigterm-in-analysis TERM stuck.yaml "epoch 2/2" 1.0 "interrupted (SIGTERM) during the end-of-run analyses"

echo "== kill -9 at random moments, then --resume"
# Big checkpoints (9.8 MB, forced to disk) written every 2 steps, so that many kills land inside a checkpoint write.
sed 's/out: 16}/out: 1024}/; s/epochs: 1,/epochs: 2,/; s/batch_size: 50}/batch_size: 100, checkpoint_every: 2, threads: 2}/; s/idx:good/idx:'"${ROOT//\//\\/}"'\/data\/mnist-10k\/train/' "$IN/good.yaml" > "$IN/kill.yaml"
(cd "$IN" && "$RAVINE" train kill.yaml --out "$W/runs/kill-ref") >"$W/kill-ref.log" 2>&1 || echo "FAIL  kill reference run"
steps_of() { /usr/bin/python3 -c "
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1] + '/run.db').execute('SELECT step, loss, accuracy FROM steps ORDER BY step').fetchall()
print('\n'.join(f'{s} {l!r} {a!r}' for s, l, a in rows))" "$1"; }
steps_of "$W/runs/kill-ref" > "$W/kill-ref.steps"
kills=0; during_write=0; exact=0; agree=0; with_checkpoint=0
for trial in $(seq 1 "$KILLS"); do
  out="$W/runs/kill-$trial"
  cmd=(train kill.yaml --out "$out")
  for round in 1 2; do # the first run is killed, then its resume is killed too, then a resume finishes
    (cd "$IN" && exec "$RAVINE" "${cmd[@]}") >"$W/kill-$trial-$round.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do grep -q "training:" "$W/kill-$trial-$round.log" 2>/dev/null && break; sleep 0.05; done
    # The first checkpoint comes about 3 s after the header on 2 cores, and the run then trains for about 10 s.
    sleep "$(/usr/bin/python3 -c "import random; print(round(random.uniform(2.5, $((14 - 4 * round))), 2))")"
    if kill -9 "$pid" 2>/dev/null; then
      kills=$((kills + 1))
      wait "$pid" 2>/dev/null
      ls "$out"/checkpoints/.*.tmp >/dev/null 2>&1 && during_write=$((during_write + 1))
      newest="$(ls "$out"/checkpoints/step-*.ckpt 2>/dev/null | tail -1 | sed 's/.*step-0*\([0-9]*\)\.ckpt/\1/')"
      if [ -n "$newest" ]; then
        with_checkpoint=$((with_checkpoint + 1))
        rows="$(/usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COALESCE(MAX(step),0) FROM steps').fetchone()[0])" "$out/run.db" 2>/dev/null || echo 0)"
        [ "$rows" -ge "$newest" ] && agree=$((agree + 1))
        cmd=(train --resume "$out")
      elif [ "$round" = 1 ]; then
        rm -rf "$out" # killed before its first checkpoint: the next round starts the run again
      fi
    else
      wait "$pid" 2>/dev/null
    fi
  done
  cases=$((cases + 1))
  (cd "$IN" && "$RAVINE" train --resume "$out") >"$W/kill-$trial-final.log" 2>&1
  rc=$?
  if [ "$rc" = 0 ] && steps_of "$out" | cmp -s - "$W/kill-ref.steps" && ! ls "$out"/checkpoints/.*.tmp >/dev/null 2>&1; then
    exact=$((exact + 1)); clean=$((clean + 1))
    echo "ok    kill-$trial                resumed, $(wc -l < "$W/kill-ref.steps") step losses bit-exact"
  elif [ "$rc" = 2 ] && grep -q "no intact checkpoint\|is not a run folder\|does not exist" "$W/kill-$trial-final.log"; then
    clean=$((clean + 1)) # killed before the first checkpoint: nothing to resume, said so
    echo "ok    kill-$trial                killed before its first checkpoint: $(grep -o 'error: .*' "$W/kill-$trial-final.log" | cut -c1-100)"
  else
    failed+=("kill-$trial")
    echo "FAIL  kill-$trial                exit $rc: $(tail -c 300 "$W/kill-$trial-final.log" | tr '\n' ' ')"
  fi
done

echo
echo "cases: $cases, clean: $clean${failed[*]:+, failed: ${failed[*]}}"
echo "kill -9: $kills kills ($during_write inside a checkpoint write), $exact of $KILLS trials resumed bit-exactly;" \
     "run.db held every step up to the newest checkpoint after $agree of $with_checkpoint kills that left one"
echo "peak memory of refused huge inputs (RSS, with $RAVINE_JAVA_OPTS): ${peaks[*]/%/;}"
echo "signal to exit: ${sigterm_times[*]/%/;}"
echo "(logs in $W)"
[ "$cases" = "$clean" ]
