// Private to hashing/: one row of 8-bit RGB to PDQ luminance (spec 2.1), the hot loop in front of
// the blur. Two implementations give identical floats; LuminanceRow picks the faster one the CPU
// supports.
#pragma once

#include <cstddef>
#include <cstdint>

namespace takedown::hashing::internal {

void LuminanceRow(const uint8_t* rgb, float* out, size_t n);

// Table lookups of the three products: any CPU, and the browser build.
void LuminanceRowPortable(const uint8_t* rgb, float* out, size_t n);

#if defined(__x86_64__) && defined(__GNUC__)
#define TAKEDOWN_HAVE_AVX2_LUMINANCE 1
// The formula vectorised with AVX2; call only where the CPU has AVX2.
void LuminanceRowAvx2(const uint8_t* __restrict rgb, float* __restrict out, size_t n);
#endif

}  // namespace takedown::hashing::internal
