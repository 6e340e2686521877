// Private to hashing/: moving 8 rows of floats into and out of the strip layout PdqHasher uses for
// its horizontal passes (strip[c * 8 + l] holds row l, column c). 4x4 blocks are transposed in
// registers with vector shuffles, which GCC and Clang (and so emscripten) both provide; plain
// strided scalar copies cost several times more and were a third of the hashing time.
#pragma once

#include <cstddef>
#include <cstring>

namespace takedown::hashing::internal {

inline constexpr int kStripLanes = 8;

using Float4 = float __attribute__((vector_size(16)));

inline Float4 Load4(const float* p) {
  Float4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void Store4(float* p, Float4 v) { std::memcpy(p, &v, sizeof v); }

// Rows a..d become columns: a = (a0 b0 c0 d0), b = (a1 b1 c1 d1), ...
inline void Transpose4(Float4& a, Float4& b, Float4& c, Float4& d) {
  const Float4 t0 = __builtin_shufflevector(a, b, 0, 4, 1, 5);
  const Float4 t1 = __builtin_shufflevector(a, b, 2, 6, 3, 7);
  const Float4 t2 = __builtin_shufflevector(c, d, 0, 4, 1, 5);
  const Float4 t3 = __builtin_shufflevector(c, d, 2, 6, 3, 7);
  a = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
  b = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
  c = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
  d = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
}

// strip[c * 8 + l] = rows[l][c] for c < n.
inline void RowsToStrip(const float* const rows[kStripLanes], size_t n, float* strip) {
  size_t c = 0;
  for (; c + 4 <= n; c += 4) {
    for (int half = 0; half < kStripLanes; half += 4) {
      Float4 a = Load4(rows[half] + c), b = Load4(rows[half + 1] + c);
      Float4 d2 = Load4(rows[half + 2] + c), d3 = Load4(rows[half + 3] + c);
      Transpose4(a, b, d2, d3);
      Store4(strip + (c + 0) * kStripLanes + half, a);
      Store4(strip + (c + 1) * kStripLanes + half, b);
      Store4(strip + (c + 2) * kStripLanes + half, d2);
      Store4(strip + (c + 3) * kStripLanes + half, d3);
    }
  }
  for (; c < n; ++c) {
    for (int l = 0; l < kStripLanes; ++l) strip[c * kStripLanes + l] = rows[l][c];
  }
}

// rows[l][c] = strip[c * 8 + l] for c < n.
inline void StripToRows(const float* strip, size_t n, float* const rows[kStripLanes]) {
  size_t c = 0;
  for (; c + 4 <= n; c += 4) {
    for (int half = 0; half < kStripLanes; half += 4) {
      Float4 a = Load4(strip + (c + 0) * kStripLanes + half);
      Float4 b = Load4(strip + (c + 1) * kStripLanes + half);
      Float4 d2 = Load4(strip + (c + 2) * kStripLanes + half);
      Float4 d3 = Load4(strip + (c + 3) * kStripLanes + half);
      Transpose4(a, b, d2, d3);
      Store4(rows[half] + c, a);
      Store4(rows[half + 1] + c, b);
      Store4(rows[half + 2] + c, d2);
      Store4(rows[half + 3] + c, d3);
    }
  }
  for (; c < n; ++c) {
    for (int l = 0; l < kStripLanes; ++l) rows[l][c] = strip[c * kStripLanes + l];
  }
}

}  // namespace takedown::hashing::internal
