// PDQ's last steps (spec sections 3.5-4), shared by the PDQ hasher and the region signals
// (signals.h), which feed the same 16x16 DCT and threshold from their own 64x64 samples.
// Pure functions; thread-safe.
#pragma once

#include <array>

#include "hashing/pdq.h"

namespace takedown::hashing::internal {

// PDQ's quality (0..100) of a 64x64 sample matrix, row-major: its summed gradients (spec 3.4).
int Quality(const float* a);
// The 16x16 DCT of a 64x64 sample matrix without the DC terms, in the spec's float order.
void Dct(const float* a, std::array<float, 256>* out);
// The 16x64 DCT basis without the DC row (row i, column j at i * 64 + j), computed once.
const std::array<float, 16 * 64>& DctMatrix();
// Thresholds 256 values against their lower median (the 128th smallest).
Hash256 Threshold(const std::array<float, 256>& values);
// The DCT matrix of a dihedral variant of the image, from the original's (spec section 4).
std::array<float, 256> DihedralTransform(const std::array<float, 256>& b, Dihedral which);

}  // namespace takedown::hashing::internal
