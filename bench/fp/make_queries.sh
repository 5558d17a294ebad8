#!/usr/bin/env bash
# make_queries.sh: degraded query excerpts for the content-identification evaluation.
#
#   make_queries.sh --corpus DIR [--queries N] [--negatives N] [--seconds S] [--seed K] [--jobs J]
#
# Reads DIR/refs.txt and DIR/negatives.txt (made by ../shared/corpus/audio-corpus, which
# also installs sox and the music packages) and writes DIR/queries/VARIANT/*.wav plus
# DIR/truth.csv (query,variant,reference,offset_s,factor) with the same variants as
# audio-corpus, and DIR/truth_extra.csv with robustness variants beyond them.
#
# Why not audio-corpus's own queries: its rnd() runs in a $(...) subshell, so the
# generator state never advances and every query is the same excerpt (first reference
# picked, offset 0). This script keeps its recipe (sox commands, SNR scaling) with the
# random state advanced in the parent shell.
set -euo pipefail
corpus="" queries=100 negatives="" seconds=10 seed=1 jobs=2
while (($#)); do
  case $1 in
    --corpus) corpus=$2; shift 2 ;;
    --queries) queries=$2; shift 2 ;;
    --negatives) negatives=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    *) echo "make_queries: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n $corpus && -f $corpus/refs.txt ]] || { echo "make_queries: need --corpus DIR with refs.txt" >&2; exit 2; }

state=$seed
rnd() { state=$(((state * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff)); R=$((state >> 16)); }

base=(clean noise10 noise0 mp3_64k pitch5 tempo5 speed5)
extra=(pitch-5 pitch10 pitch-10 tempo-5 tempo10 tempo-10 speed-5 speed10 speed-10
       pitch5_tempo-5 pitch-10_tempo10 pitch10_tempo10 pink0 eq crop5)
rm -rf "$corpus/queries"
for v in "${base[@]}" "${extra[@]}" neg; do mkdir -p "$corpus/queries/$v"; done
mapfile -t refs <"$corpus/refs.txt"
mapfile -t negs <"$corpus/negatives.txt"

# One job line per excerpt: kind, id, source, offset (tab-separated: paths have spaces).
jobfile=$(mktemp)
echo "query,variant,reference,offset_s,factor" >"$corpus/truth.csv"
echo "query,variant,reference,offset_s,factor" >"$corpus/truth_extra.csv"
for ((i = 0; i < queries; i++)); do
  id=$(printf 'q%04d' "$i")
  rnd; ref=${refs[$((R % ${#refs[@]}))]}
  # sox cannot read every format tutti decodes (Opus): draw another reference then.
  len=$(soxi -D "$ref" 2>/dev/null) || { ((i--)) || true; continue; }
  # Short clips (jingles, stingers) cannot give a full excerpt: draw again.
  if awk -v l="$len" -v s="$seconds" 'BEGIN{exit !(l < s + 1)}'; then ((i--)) || true; continue; fi
  max=$(awk -v l="$len" -v s="$seconds" 'BEGIN{m=int(l-s-1); print (m>0?m:0)}')
  rnd; off=$((R % (max + 1)))
  # Draw again when the excerpt is (nearly) silent: nothing can identify silence.
  level=$(sox "$ref" -n trim "$off" "$seconds" stat 2>&1 | awk '/RMS +amplitude/{print $3}')
  if awk -v r="$level" 'BEGIN{exit !(r < 0.003)}'; then ((i--)) || true; continue; fi
  printf 'q\t%s\t%s\t%s\n' "$id" "$ref" "$off" >>"$jobfile"
  for v in clean noise10 noise0 mp3_64k pitch5; do echo "$id,$v,$ref,$off,1" >>"$corpus/truth.csv"; done
  for v in tempo5 speed5; do echo "$id,$v,$ref,$off,1.05" >>"$corpus/truth.csv"; done
  for v in pitch-5 pitch10 pitch-10 pink0 eq crop5; do echo "$id,$v,$ref,$off,1" >>"$corpus/truth_extra.csv"; done
  for v in tempo-5:0.95 tempo10:1.1 tempo-10:0.9 speed-5:0.95 speed10:1.1 speed-10:0.9 \
           pitch5_tempo-5:0.95 pitch-10_tempo10:1.1 pitch10_tempo10:1.1; do
    echo "$id,${v%%:*},$ref,$off,${v##*:}" >>"$corpus/truth_extra.csv"
  done
done
nneg=${negatives:-$((queries / 3 > 0 ? queries / 3 : 1))}
for ((i = 0; i < nneg && ${#negs[@]} > 0; i++)); do
  id=$(printf 'n%04d' "$i")
  rnd; neg=${negs[$((R % ${#negs[@]}))]}
  len=$(soxi -D "$neg"); max=$(awk -v l="$len" -v s="$seconds" 'BEGIN{m=int(l-s-1); print (m>0?m:0)}')
  rnd; printf 'n\t%s\t%s\t%s\n' "$id" "$neg" "$((R % (max + 1)))" >>"$jobfile"
  echo "$id,neg,,," >>"$corpus/truth.csv"
done

one() { # kind id source offset
  local kind=$1 id=$2 src=$3 off=$4 q=$corpus/queries t
  t=$(mktemp -d)
  sox -q "$src" -r 44100 -c 1 -b 16 "$t/x.wav" trim "$off" "$seconds"
  if [[ $kind == n ]]; then cp "$t/x.wav" "$q/neg/$id.wav"; rm -rf "$t"; return; fi
  rms() { sox "$1" -n stat 2>&1 | awk '/RMS +amplitude/{print $3}'; }
  noise() { # snr dest type
    sox -q -n -r 44100 -c 1 -b 32 -e floating-point "$t/n.wav" synth "$(soxi -D "$t/x.wav")" "$3" vol 0.25
    local g; g=$(awk -v s="$(rms "$t/x.wav")" -v n="$(rms "$t/n.wav")" -v snr="$1" 'BEGIN{printf "%.6f", 0.5 * s / (10^(snr/20)) / n}')
    sox -q -m -v 0.5 "$t/x.wav" -v "$g" "$t/n.wav" -b 16 "$2"
  }
  cp "$t/x.wav" "$q/clean/$id.wav"
  noise 10 "$q/noise10/$id.wav" whitenoise
  noise 0 "$q/noise0/$id.wav" whitenoise
  noise 0 "$q/pink0/$id.wav" pinknoise
  sox -q "$t/x.wav" -C 64 "$t/x.mp3" && sox -q "$t/x.mp3" -r 44100 -c 1 -b 16 "$q/mp3_64k/$id.wav"
  cents() { awk -v f="$1" 'BEGIN{printf "%.1f", 1200 * log(f) / log(2)}'; }
  for p in 5:1.05 -5:0.95 10:1.1 -10:0.9; do
    sox -q "$t/x.wav" "$q/pitch${p%%:*}/$id.wav" pitch "$(cents "${p##*:}")" rate 44100
  done
  for p in 5:1.05 -5:0.95 10:1.1 -10:0.9; do
    sox -q "$t/x.wav" "$q/tempo${p%%:*}/$id.wav" tempo "${p##*:}" rate 44100
    sox -q "$t/x.wav" "$q/speed${p%%:*}/$id.wav" speed "${p##*:}" rate 44100
  done
  sox -q "$t/x.wav" "$q/pitch5_tempo-5/$id.wav" pitch "$(cents 1.05)" tempo 0.95 rate 44100
  sox -q "$t/x.wav" "$q/pitch-10_tempo10/$id.wav" pitch "$(cents 0.9)" tempo 1.1 rate 44100
  sox -q "$t/x.wav" "$q/pitch10_tempo10/$id.wav" pitch "$(cents 1.1)" tempo 1.1 rate 44100
  sox -q "$t/x.wav" "$q/eq/$id.wav" gain -12 bass +10 treble -10 equalizer 1000 2q -8 norm -1
  sox -q "$t/x.wav" "$q/crop5/$id.wav" trim 0 5
  rm -rf "$t"
}
export -f one
export corpus seconds
xargs -d '\n' -n 1 -P "$jobs" bash -c 'IFS=$'"'"'\t'"'"' read -r k i s o <<<"$1"; one "$k" "$i" "$s" "$o"' _ <"$jobfile"
rm -f "$jobfile"
echo "make_queries: $queries queries, $nneg negatives in $corpus" >&2
