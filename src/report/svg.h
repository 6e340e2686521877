// SVG markup made by charts.h. Writers inline it (HTML) or draw it (PDF) as it is, so only
// charts.cc can make one: every text in it has been escaped there, and it has no script, link or
// external reference.
//
// A plain value: safe to copy, and to read from any number of threads.
#pragma once

#include <string>
#include <utility>

namespace takedown::report {

class Svg {
 public:
  const std::string& markup() const { return markup_; }

 private:
  friend class SvgWriter;  // charts.cc
  explicit Svg(std::string markup) : markup_(std::move(markup)) {}
  std::string markup_;
};

}  // namespace takedown::report
