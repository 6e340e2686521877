#include "fetch/open_elements.h"

namespace takedown::fetch::internal {

bool Stops(Stop stop, std::string_view n) {
  switch (stop) {
    case Stop::kDefaultScope:
      return IsScopeBoundary(n);
    case Stop::kButtonScope:
      return IsScopeBoundary(n) || n == "button";
    case Stop::kListScope:
      return IsScopeBoundary(n) || n == "ol" || n == "ul";
    case Stop::kTableScope:
      return n == "html" || n == "table" || n == "template";
    case Stop::kSpecial:
      return IsSpecial(n);
    case Stop::kListWalk:
      return IsSpecial(n) && n != "address" && n != "div" && n != "p";
    case Stop::kSelect:  // decided in Push, which knows whether the element is surely open
    case Stop::kNothing:
      return false;
    case Stop::kNotImplied:
    case Stop::kCount:
      return !IsImplied(n);
  }
  return true;
}

// What a start tag closes before it opens: the previous <li>, <td>, <p>, <a>, ...
void CloseImplied(OpenElements& open, std::string_view name) {
  if (name == "li") {
    open.PopTo(Target::kName, "li", Stop::kListWalk);
  } else if (name == "dd" || name == "dt") {
    open.PopTo(Target::kDdDt, "", Stop::kListWalk);
  } else if (name == "td" || name == "th") {
    open.PopTo(Target::kCell, "", Stop::kTableScope, /*inside_table=*/true);
  } else if (name == "tr") {
    open.PopTo(Target::kName, "tr", Stop::kTableScope, /*inside_table=*/true);
  } else if (name == "a") {
    // A new <a> ends an open one: popped with what is above it when that is all ordinary (the
    // adoption agency without a furthest block), so sloppy "<a href=1>x<a href=2>y" lists stay
    // flat; otherwise the parser moves it away, and the model cannot follow.
    if (!open.PopTo(Target::kName, "a", Stop::kSpecial)) open.MakeUnsure("a");
  } else if (name == "button") {
    open.PopTo(Target::kName, "button", Stop::kDefaultScope);
  } else if (name == "table") {
    // In a table (not in a cell), a <table> first closes the open one.
    const std::string_view context = open.NearestOf(
        {"table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "template", "html"});
    if (context == "table" || context == "tbody" || context == "thead" || context == "tfoot" ||
        context == "tr") {
      open.PopTo(Target::kName, "table", Stop::kTableScope);
    }
  } else if (name == "rb" || name == "rtc" || name == "rp" || name == "rt") {
    if (open.NearestOf({"ruby"}) == "ruby") {
      while (open.TopIsImplied() && !(name == "rp" || name == "rt" ? open.TopIs("rtc") : false)) {
        open.Pop();
      }
    }
  } else if (name == "option") {
    if (open.TopIs("option")) open.Pop();
  } else if (name == "optgroup") {
    if (open.TopIs("option")) open.Pop();
    if (open.TopIs("optgroup")) open.Pop();
  }
  if (ClosesP(name)) {
    open.PopTo(Target::kName, "p", Stop::kButtonScope);
    if (IsHeading(name) && open.TopIsHeading()) open.Pop();
  }
}

// What an end tag closes.
void CloseFor(OpenElements& open, const std::string& name) {
  if (name == "br" || name == "body" || name == "html" || name == "head") return;  // never pop
  if (open.in_select() && (name == "select" || name == "option" || name == "optgroup")) {
    if (name == "select") {
      open.PopTo(Target::kName, "select", Stop::kSelect);
    } else if (open.TopIs(name)) {
      open.Pop();
    }
  } else if (IsHeading(name)) {
    open.PopTo(Target::kHeading, "", Stop::kDefaultScope);
  } else if (name == "p") {
    open.PopTo(Target::kName, "p", Stop::kButtonScope);
  } else if (name == "li") {
    open.PopTo(Target::kName, "li", Stop::kListScope);
  } else if (ClosesInScope(name)) {
    open.PopTo(Target::kName, name, Stop::kDefaultScope);
  } else if (name == "table" || IsTablePart(name)) {
    open.PopTo(Target::kName, name, Stop::kTableScope, /*inside_table=*/name != "table");
  } else if (name == "template") {
    open.PopTo(Target::kName, "template", Stop::kNothing);
  } else if (!IsSpecial(name)) {
    // An ordinary element (span, a, ...) closes when found before any special element. An <a>
    // that is not is moved away by the adoption agency.
    if (!open.PopTo(Target::kName, name, Stop::kSpecial) && name == "a") open.MakeUnsure("a");
  } else {
    open.PopTo(Target::kName, name, Stop::kNotImplied);  // form, select, noscript, ...
  }
}

}  // namespace takedown::fetch::internal
