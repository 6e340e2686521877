// Tests only: sees every file this process opens for writing while armed. The test binary
// defines libc's open/openat/creat/fopen/tmpfile/mkstemp families (and their 64-bit and
// fortified names), which the dynamic linker then binds libcurl, OpenSSL, zlib and the rest
// to; each records the path and forwards to libc. Thread-safe.
#pragma once

#include <string>
#include <vector>

namespace takedown::fetch::testing {

void ArmFileWatch();
// Stops watching; returns the paths opened for writing (or created) while armed.
std::vector<std::string> DisarmFileWatch();

}  // namespace takedown::fetch::testing
