;; The tagger's emission scores as WebAssembly SIMD (compiled by scripts/build-wasm.mjs into
;; emissionsWasm.ts; a unit test checks that the two agree).
;;
;; The memory holds the int8 weight table at byte 0: 2^bits rows of 16 bytes (13 tag weights, 3 zero bytes).
;; For each of n characters, the nf feature hashes at `feats` (int32, 0 = no feature) select rows
;; (hash >>> shift); their 13 weights are summed and written as 16 int32 at `out` (64 bytes per character,
;; the last 3 always 0): exactly what Model's JavaScript loop computes. int16 lanes cannot overflow:
;; nf × 127 < 32768 for nf < 258.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "emissions") (param $feats i32) (param $n i32) (param $nf i32) (param $shift i32) (param $out i32)
    (local $i i32) (local $h i32) (local $p i32) (local $end i32) (local $lo v128) (local $hi v128) (local $v v128)
    (local.set $p (local.get $feats))
    (block $done
      (loop $chars
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $lo (v128.const i32x4 0 0 0 0))
        (local.set $hi (v128.const i32x4 0 0 0 0))
        (local.set $end (i32.add (local.get $p) (i32.shl (local.get $nf) (i32.const 2))))
        (block $row
          (loop $features
            (br_if $row (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $h (i32.load (local.get $p)))
            (if (local.get $h)
              (then
                (local.set $v (v128.load (i32.shl (i32.shr_u (local.get $h) (local.get $shift)) (i32.const 4))))
                (local.set $lo (i16x8.add (local.get $lo) (i16x8.extend_low_i8x16_s (local.get $v))))
                (local.set $hi (i16x8.add (local.get $hi) (i16x8.extend_high_i8x16_s (local.get $v))))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $features)))
        (v128.store offset=0 (local.get $out) (i32x4.extend_low_i16x8_s (local.get $lo)))
        (v128.store offset=16 (local.get $out) (i32x4.extend_high_i16x8_s (local.get $lo)))
        (v128.store offset=32 (local.get $out) (i32x4.extend_low_i16x8_s (local.get $hi)))
        (v128.store offset=48 (local.get $out) (i32x4.extend_high_i16x8_s (local.get $hi)))
        (local.set $out (i32.add (local.get $out) (i32.const 64)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $chars)))))
