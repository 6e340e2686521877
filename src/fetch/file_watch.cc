#include "fetch/file_watch.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace takedown::fetch::testing {
namespace {

std::atomic<bool> armed{false};
std::mutex mutex;
std::vector<std::string>* seen = new std::vector<std::string>();  // never freed: used at exit

void Record(const char* what, const char* path) {
  if (!armed.load()) return;
  std::lock_guard lock(mutex);
  seen->push_back(std::string(what) + " " + (path != nullptr ? path : "(none)"));
}

bool Writes(int flags) {
  return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC | O_APPEND)) != 0 ||
         (flags & O_TMPFILE) == O_TMPFILE;
}

bool Writes(const char* mode) { return mode != nullptr && (std::strpbrk(mode, "wa+") != nullptr); }

template <typename F>
F Real(const char* name) {
  return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

bool NeedsMode(int flags) { return (flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE; }

}  // namespace

void ArmFileWatch() {
  std::lock_guard lock(mutex);
  seen->clear();
  armed = true;
}

std::vector<std::string> DisarmFileWatch() {
  armed = false;
  std::lock_guard lock(mutex);
  return *seen;
}

}  // namespace takedown::fetch::testing

using takedown::fetch::testing::Record;
using takedown::fetch::testing::Writes;

#define FORWARD_OPEN(name)                                                                    \
  extern "C" int name(const char* path, int flags, ...) {                                     \
    mode_t mode = 0;                                                                          \
    if (takedown::fetch::testing::NeedsMode(flags)) {                                         \
      va_list args;                                                                           \
      va_start(args, flags);                                                                  \
      mode = va_arg(args, mode_t);                                                            \
      va_end(args);                                                                           \
    }                                                                                         \
    if (Writes(flags)) Record(#name, path);                                                   \
    static auto real = takedown::fetch::testing::Real<int (*)(const char*, int, ...)>(#name); \
    return real(path, flags, mode);                                                           \
  }

#define FORWARD_OPENAT(name)                                                                       \
  extern "C" int name(int dir, const char* path, int flags, ...) {                                 \
    mode_t mode = 0;                                                                               \
    if (takedown::fetch::testing::NeedsMode(flags)) {                                              \
      va_list args;                                                                                \
      va_start(args, flags);                                                                       \
      mode = va_arg(args, mode_t);                                                                 \
      va_end(args);                                                                                \
    }                                                                                              \
    if (Writes(flags)) Record(#name, path);                                                        \
    static auto real = takedown::fetch::testing::Real<int (*)(int, const char*, int, ...)>(#name); \
    return real(dir, path, flags, mode);                                                           \
  }

FORWARD_OPEN(open)
FORWARD_OPEN(open64)
FORWARD_OPENAT(openat)
FORWARD_OPENAT(openat64)

extern "C" int __open_2(const char* path, int flags) {
  if (Writes(flags)) Record("__open_2", path);
  static auto real = takedown::fetch::testing::Real<int (*)(const char*, int)>("__open_2");
  return real(path, flags);
}

extern "C" int __open64_2(const char* path, int flags) {
  if (Writes(flags)) Record("__open64_2", path);
  static auto real = takedown::fetch::testing::Real<int (*)(const char*, int)>("__open64_2");
  return real(path, flags);
}

extern "C" int creat(const char* path, mode_t mode) {
  Record("creat", path);
  static auto real = takedown::fetch::testing::Real<int (*)(const char*, mode_t)>("creat");
  return real(path, mode);
}

extern "C" int creat64(const char* path, mode_t mode) {
  Record("creat64", path);
  static auto real = takedown::fetch::testing::Real<int (*)(const char*, mode_t)>("creat64");
  return real(path, mode);
}

extern "C" FILE* fopen(const char* path, const char* mode) {
  if (Writes(mode)) Record("fopen", path);
  static auto real = takedown::fetch::testing::Real<FILE* (*)(const char*, const char*)>("fopen");
  return real(path, mode);
}

extern "C" FILE* fopen64(const char* path, const char* mode) {
  if (Writes(mode)) Record("fopen64", path);
  static auto real = takedown::fetch::testing::Real<FILE* (*)(const char*, const char*)>("fopen64");
  return real(path, mode);
}

extern "C" FILE* tmpfile() {
  Record("tmpfile", nullptr);
  static auto real = takedown::fetch::testing::Real<FILE* (*)()>("tmpfile");
  return real();
}

extern "C" FILE* tmpfile64() {
  Record("tmpfile64", nullptr);
  static auto real = takedown::fetch::testing::Real<FILE* (*)()>("tmpfile64");
  return real();
}

extern "C" int mkstemp(char* pattern) {
  Record("mkstemp", pattern);
  static auto real = takedown::fetch::testing::Real<int (*)(char*)>("mkstemp");
  return real(pattern);
}

extern "C" int mkostemp(char* pattern, int flags) {
  Record("mkostemp", pattern);
  static auto real = takedown::fetch::testing::Real<int (*)(char*, int)>("mkostemp");
  return real(pattern, flags);
}
