// Internal to fetch: the guard's model of the HTML5 parser's stack of open elements (see
// html_guard.h), and what start and end tags close in it. One per guard pass; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "fetch/html_elements.h"

namespace takedown::fetch::internal {

// What an end tag or a closing start tag looks for, and what stops the search (the HTML
// standard's scopes).
enum class Target { kName, kHeading, kCell, kDdDt };
enum class Stop {
  kDefaultScope,  // applet, caption, html, table, td, th, marquee, object, template, ...
  kButtonScope,   // the default scope and button
  kListScope,     // the default scope, ol and ul
  kTableScope,    // html, table, template
  kSpecial,       // any special element: how ordinary end tags (span, a) search
  kListWalk,      // special elements but address, div and p: how <li>, <dd>, <dt> search
  kNotImplied,    // anything without an implied end tag
  kSelect,        // a <template>, or an element surely open that is no option or optgroup
  kNothing,       // no element stops it (</template>)
  kCount,
};

// Whether the search `stop` ends at an element named `n` (kSelect is decided with the element).
bool Stops(Stop stop, std::string_view n);

// The guard's model of the parser's stack of open elements. It must never be smaller than the
// parser's where the parser's cost lies, so it closes an element only where the HTML standard
// surely closes it too. An element the parser may have ignored (a tag in a <select>, in SVG,
// after a <frameset>, a <td> outside any table) or may have closed without the model seeing
// it (an <a> the adoption agency moved) is kept but marked unsure: it counts for depth, is
// closed with what is below it, but is never itself what an end tag closes, since closing it
// could close real elements above it that the parser keeps.
// Every search is O(1): for each kind of target and of stop, the positions where they are.
class OpenElements {
 public:
  size_t size() const { return entries_.size(); }
  bool in_foreign() const { return foreign_ > 0; }
  bool in_select() const { return selects_ > 0; }
  bool has_sure_table() const { return sure_tables_ > 0; }

  void Push(const std::string& name, bool sure) {
    const size_t at = entries_.size();
    Entry e{name, 0, sure};
    for (size_t k = 0; k < static_cast<size_t>(Stop::kCount); ++k) {
      const Stop stop = static_cast<Stop>(k);
      const bool stops = stop == Stop::kSelect ? name == "template" || (sure && name != "option" &&
                                                                        name != "optgroup")
                                               : Stops(stop, name);
      if (stops) {
        e.stops |= 1u << k;
        stops_[k].push_back(at);
      }
    }
    by_name_[name].push_back(at);
    if (IsHeading(name)) headings_.push_back(at);
    if (name == "td" || name == "th") cells_.push_back(at);
    if (name == "dd" || name == "dt") dd_dt_.push_back(at);
    Count(e, +1);
    entries_.push_back(std::move(e));
  }

  // Pops the nearest element `target` names, and everything above it, if that element is surely
  // open and nothing above it stops the search; otherwise pops nothing. With `inside_table` the
  // element must also have a <table> below it. Returns whether it popped.
  bool PopTo(Target target, std::string_view name, Stop stop, bool inside_table = false) {
    const std::optional<size_t> at = Nearest(target, name);
    if (!at || !entries_[*at].sure) return false;
    const std::vector<size_t>& stops = stops_[static_cast<size_t>(stop)];
    if (!stops.empty() && stops.back() > *at) return false;
    if (inside_table) {
      auto tables = by_name_.find("table");
      if (tables == by_name_.end() || tables->second.front() > *at) return false;
    }
    while (entries_.size() > *at) Pop();
    return true;
  }

  // The parser may have closed the nearest element named `name` without the model seeing it.
  void MakeUnsure(std::string_view name) {
    if (std::optional<size_t> at = Nearest(Target::kName, name)) {
      Count(entries_[*at], -1);
      entries_[*at].sure = false;
      Count(entries_[*at], +1);
    }
  }
  void MakeAllUnsure() {
    for (Entry& e : entries_) {
      Count(e, -1);
      e.sure = false;
      Count(e, +1);
    }
  }

  // Which of `names` is open nearest the top ("" for none).
  std::string_view NearestOf(std::initializer_list<std::string_view> names) const {
    std::string_view best;
    size_t best_at = 0;
    for (std::string_view n : names) {
      auto it = by_name_.find(std::string(n));
      if (it != by_name_.end() && (best.empty() || it->second.back() >= best_at)) {
        best = n;
        best_at = it->second.back();
      }
    }
    return best;
  }

  bool TopIs(std::string_view name) const {
    return !entries_.empty() && entries_.back().name == name;
  }
  bool TopIsHeading() const { return !entries_.empty() && IsHeading(entries_.back().name); }
  bool TopIsImplied() const { return !entries_.empty() && IsImplied(entries_.back().name); }

  void Pop() {
    const size_t at = entries_.size() - 1;
    const Entry& e = entries_.back();
    for (size_t k = 0; k < static_cast<size_t>(Stop::kCount); ++k) {
      if ((e.stops & (1u << k)) != 0) stops_[k].pop_back();
    }
    auto it = by_name_.find(e.name);
    it->second.pop_back();
    if (it->second.empty()) by_name_.erase(it);
    for (std::vector<size_t>* v : {&headings_, &cells_, &dd_dt_}) {
      if (!v->empty() && v->back() == at) v->pop_back();
    }
    Count(e, -1);
    entries_.pop_back();
  }

 private:
  struct Entry {
    std::string name;
    uint32_t stops;  // bit k: Stop k stops at this element
    bool sure;       // surely open in the parser too
  };

  std::optional<size_t> Nearest(Target target, std::string_view name) const {
    const std::vector<size_t>* found = nullptr;
    switch (target) {
      case Target::kName: {
        auto it = by_name_.find(std::string(name));
        if (it != by_name_.end()) found = &it->second;
        break;
      }
      case Target::kHeading:
        found = &headings_;
        break;
      case Target::kCell:
        found = &cells_;
        break;
      case Target::kDdDt:
        found = &dd_dt_;
        break;
    }
    if (found == nullptr || found->empty()) return std::nullopt;
    return found->back();
  }

  void Count(const Entry& e, int delta) {
    if (e.name == "svg" || e.name == "math") foreign_ += static_cast<size_t>(delta);
    if (e.name == "select") selects_ += static_cast<size_t>(delta);
    if (e.name == "table" && e.sure) sure_tables_ += static_cast<size_t>(delta);
  }

  std::vector<Entry> entries_;
  std::array<std::vector<size_t>, static_cast<size_t>(Stop::kCount)> stops_;
  std::unordered_map<std::string, std::vector<size_t>> by_name_;
  std::vector<size_t> headings_, cells_, dd_dt_;
  size_t foreign_ = 0;
  size_t selects_ = 0;
  size_t sure_tables_ = 0;
};

// What a start tag closes before it opens: the previous <li>, <td>, <p>, <a>, ...
void CloseImplied(OpenElements& open, std::string_view name);

// What an end tag closes.
void CloseFor(OpenElements& open, const std::string& name);

}  // namespace takedown::fetch::internal
