#include "report/labels.h"

#include <algorithm>
#include <set>
#include <vector>

#include "datafile/toml_data.h"

namespace takedown::report {
namespace {

// Every key of data/report/*.toml with the placeholders its text must have.
struct KeySpec {
  std::string_view key;
  std::initializer_list<std::string_view> placeholders;
};
const KeySpec kKeys[] = {
    {"title", {}},
    {"subtitle", {}},
    {"prepared_by", {"organisation"}},
    {"period", {"from", "to"}},
    {"generated", {"date"}},
    {"privacy", {"k", "max"}},
    {"privacy_none", {}},
    {"section_summary", {}},
    {"kf_cases", {}},
    {"kf_images", {}},
    {"kf_videos", {}},
    {"kf_urls_found", {}},
    {"kf_urls_notified", {}},
    {"kf_urls_removed", {}},
    {"kf_urls_ever_removed", {}},
    {"kf_removal_rate", {}},
    {"kf_median_hours", {}},
    {"kf_p90_hours", {}},
    {"kf_urls_reappeared", {}},
    {"kf_reappearance_rate", {}},
    {"section_platforms", {}},
    {"platforms_intro", {}},
    {"platforms_caption", {}},
    {"platforms_chart_caption", {}},
    {"platforms_chart_alt", {}},
    {"col_platform", {}},
    {"col_notices_sent", {}},
    {"col_acknowledged", {}},
    {"col_acted_on", {}},
    {"col_never_responded", {}},
    {"col_removal_rate", {}},
    {"col_median_hours", {}},
    {"col_p90_hours", {}},
    {"col_escalations", {}},
    {"section_time", {}},
    {"time_intro", {"n", "median", "p90"}},
    {"time_caption", {}},
    {"time_chart_caption", {}},
    {"time_chart_alt", {}},
    {"col_time", {}},
    {"col_removals", {}},
    {"bucket_first", {"to"}},
    {"bucket_range", {"from", "to"}},
    {"bucket_last", {"from"}},
    {"section_hosts", {}},
    {"hosts_intro", {}},
    {"hosts_caption", {}},
    {"col_provider", {}},
    {"col_kind", {}},
    {"kind_platform", {}},
    {"kind_host", {}},
    {"kind_registrar", {}},
    {"kind_cdn", {}},
    {"kind_regulator", {}},
    {"section_jurisdictions", {}},
    {"jurisdictions_intro", {}},
    {"jurisdictions_caption", {}},
    {"col_jurisdiction", {}},
    {"col_cases", {}},
    {"col_urls_found", {}},
    {"col_urls_removed", {}},
    {"jurisdiction_unknown", {}},
    {"section_months", {}},
    {"months_intro", {}},
    {"months_caption", {}},
    {"months_chart_caption", {}},
    {"months_chart_alt", {}},
    {"col_month", {}},
    {"series_found", {}},
    {"series_removed", {}},
    {"section_definitions", {}},
    {"definitions", {"path"}},
    {"note_withheld", {"k", "max"}},
    {"note_not_available", {}},
    {"chart_withheld", {}},
    {"none", {}},
};

// The {name}s in a text, or false when a brace does not open a well-formed placeholder.
bool Placeholders(std::string_view text, std::set<std::string, std::less<>>* out) {
  for (size_t at = text.find_first_of("{}"); at != std::string_view::npos;
       at = text.find_first_of("{}", at)) {
    size_t close = text.find('}', at);
    if (text[at] == '}' || close == std::string_view::npos) return false;
    std::string_view name = text.substr(at + 1, close - at - 1);
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
        })) {
      return false;
    }
    out->emplace(name);
    at = close + 1;
  }
  return true;
}

}  // namespace

Result<std::vector<std::string>> Labels::Languages(const std::filesystem::path& data_dir) {
  const std::filesystem::path dir = data_dir / "report";
  std::error_code ec;
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".toml") out.push_back(entry.path().stem().string());
  }
  if (ec) return NotFound("could not list " + dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  const auto en = std::find(out.begin(), out.end(), "en");
  if (en == out.end()) return NotFound(dir.string() + " has no English report (en.toml)");
  std::rotate(out.begin(), en, en + 1);
  return out;
}

Result<Labels> Labels::Load(const std::filesystem::path& data_dir, std::string_view language) {
  if (!datafile::ValidLanguageTag(language)) {
    return InvalidArgument("\"" + std::string(language) + "\" is not a language tag.");
  }
  std::filesystem::path path = data_dir / "report" / (std::string(language) + ".toml");
  if (!std::filesystem::is_regular_file(path)) {
    return NotFound("The report has no translation into \"" + std::string(language) + "\" (" +
                    path.string() + ").");
  }
  Result<toml::table> parsed = datafile::ParseFile(path, "the report translation");
  if (!parsed.ok()) return parsed.status();
  const std::string file = path.string();

  Labels labels;
  labels.language_ = std::string(language);
  std::vector<std::string_view> allowed;
  for (const KeySpec& spec : kKeys) allowed.push_back(spec.key);
  if (Status s = datafile::CheckKeys(*parsed, allowed, {file, "top level"}); !s.ok()) return s;
  for (const KeySpec& spec : kKeys) {
    datafile::Context c{file, "key " + std::string(spec.key)};
    std::string text;
    if (Status s = datafile::GetString(*parsed, spec.key, true, c, &text); !s.ok()) return s;
    std::set<std::string, std::less<>> found;
    const std::set<std::string, std::less<>> wanted(spec.placeholders.begin(),
                                                    spec.placeholders.end());
    if (!Placeholders(text, &found) || found != wanted) {
      std::string list;
      for (std::string_view p : spec.placeholders) list += " {" + std::string(p) + "}";
      return c.Fail(*parsed->get(spec.key), "the text must have exactly the placeholders" +
                                                (list.empty() ? std::string(" (none)") : list) +
                                                ", each a name in braces.");
    }
    labels.texts_.emplace(spec.key, std::move(text));
  }
  return labels;
}

std::string Labels::Text(std::string_view key, std::initializer_list<Arg> args) const {
  auto it = texts_.find(key);
  if (it == texts_.end()) return "[missing label: " + std::string(key) + "]";
  std::string out = it->second;
  for (const auto& [name, value] : args) {
    const std::string placeholder = "{" + std::string(name) + "}";
    for (size_t at = out.find(placeholder); at != std::string::npos;
         at = out.find(placeholder, at + value.size())) {
      out.replace(at, placeholder.size(), value);
    }
  }
  return out;
}

}  // namespace takedown::report
