// ParseMessage: GMime 3 reads the message, libxml2 reduces an HTML-only body to text, and the
// rules of inbound.h classify it.
#include <gmime/gmime.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mail/inbound.h"
#include "mail/mail_internal.h"

namespace takedown::notify {
namespace {

struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;
struct GFree {
  void operator()(gpointer p) const { g_free(p); }
};
using GString = std::unique_ptr<char, GFree>;
struct ReferencesFree {
  void operator()(GMimeReferences* r) const { g_mime_references_free(r); }
};
struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

// Deeper MIME trees than this are not searched for a body (GMime itself stops at 1024).
constexpr int kMaxDepth = 64;
constexpr size_t kMaxParts = 1000;

void InitLibraries() {
  // Both initialise process-wide tables that are not safe to build from two threads at once.
  static std::once_flag once;
  std::call_once(once, [] {
    g_mime_init();
    xmlInitParser();
  });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = g_ascii_tolower(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && g_ascii_isspace(s.front())) s.remove_prefix(1);
  while (!s.empty() && g_ascii_isspace(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         g_ascii_strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

// Valid UTF-8 (each bad byte becomes U+FFFD), whatever GMime or the sender made of it.
std::string ValidUtf8(std::string_view s) {
  if (internal::IsUtf8(s)) return std::string(s);
  GString valid(g_utf8_make_valid(s.data(), static_cast<gssize>(s.size())));
  return valid ? std::string(valid.get()) : std::string();
}

// A header value for one line: decoded, valid UTF-8, with line breaks and tabs as spaces.
std::string OneLine(const char* value) {
  if (value == nullptr) return "";
  std::string out = ValidUtf8(value);
  for (char& c : out) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  return std::string(Trim(out));
}

// "<id>" for a bare id from GMime; "" for one that cannot be written back into a header.
std::string Bracketed(const char* id) {
  if (id == nullptr) return "";
  const std::string_view s(id);
  if (s.empty() || s.size() > 995 || !std::all_of(s.begin(), s.end(), [](char c) {
        return c > ' ' && c < 0x7f && c != '<' && c != '>';
      })) {
    return "";
  }
  return "<" + std::string(s) + ">";
}

std::vector<std::string> MessageIds(const char* header) {
  std::vector<std::string> ids;
  if (header == nullptr) return ids;
  std::unique_ptr<GMimeReferences, ReferencesFree> refs(g_mime_references_parse(nullptr, header));
  if (refs == nullptr) return ids;
  const int n = g_mime_references_length(refs.get());
  for (int i = 0; i < n; ++i) {
    std::string id = Bracketed(g_mime_references_get_message_id(refs.get(), i));
    if (!id.empty()) ids.push_back(std::move(id));
  }
  return ids;
}

// Mailboxes of a list, groups flattened (a group cannot hold a group: RFC 5322 3.4).
void Mailboxes(InternetAddressList* list, std::vector<InternetAddressMailbox*>* out,
               bool in_group = false) {
  if (list == nullptr) return;
  const int n = internet_address_list_length(list);
  for (int i = 0; i < n; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
      out->push_back(INTERNET_ADDRESS_MAILBOX(address));
    } else if (INTERNET_ADDRESS_IS_GROUP(address) && !in_group) {
      Mailboxes(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out, true);
    }
  }
}

void AddRecipients(InternetAddressList* list, std::vector<std::string>* recipients) {
  std::vector<InternetAddressMailbox*> boxes;
  Mailboxes(list, &boxes);
  for (InternetAddressMailbox* box : boxes) {
    const char* addr = internet_address_mailbox_get_addr(box);
    if (addr == nullptr || *addr == '\0') continue;
    std::string lower = Lower(ValidUtf8(addr));
    if (std::find(recipients->begin(), recipients->end(), lower) == recipients->end())
      recipients->push_back(std::move(lower));
  }
}

// Every value of a header that may occur more than once (Delivered-To).
std::vector<std::string> HeaderValues(GMimeObject* object, const char* name) {
  std::vector<std::string> values;
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  const int n = g_mime_header_list_get_count(headers);
  for (int i = 0; i < n; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    const char* value = g_mime_header_get_value(header);
    if (value != nullptr && g_ascii_strcasecmp(g_mime_header_get_name(header), name) == 0)
      values.emplace_back(value);
  }
  return values;
}

bool HasMessageHeaders(GMimeObject* object) {
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  const int n = g_mime_header_list_get_count(headers);
  for (int i = 0; i < n; ++i) {
    const char* name = g_mime_header_get_name(g_mime_header_list_get_header_at(headers, i));
    for (const char* wanted : {"From", "To", "Subject", "Date", "Message-ID"}) {
      if (g_ascii_strcasecmp(name, wanted) == 0) return true;
    }
  }
  return false;
}

bool IsType(GMimeObject* object, const char* type, const char* subtype) {
  GMimeContentType* ct = g_mime_object_get_content_type(object);
  return ct != nullptr && g_mime_content_type_is_type(ct, type, subtype);
}

// The part's content with its transfer encoding undone, as UTF-8. A missing, "us-ascii" (often
// a lie) or unknown charset keeps UTF-8 as it is and reads anything else as GMime's fallback
// charsets do.
std::string PartText(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return "";
  GPtr<GMimeStream> memory(g_mime_stream_mem_new());
  const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  GPtr<GMimeFilter> filter;
  if (charset != nullptr && g_ascii_strcasecmp(charset, "us-ascii") != 0) {
    filter.reset(g_mime_filter_charset_new(charset, "UTF-8"));
  }
  if (filter != nullptr) {
    GPtr<GMimeStream> filtered(g_mime_stream_filter_new(memory.get()));
    g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), filter.get());
    g_mime_data_wrapper_write_to_stream(content, filtered.get());
    g_mime_stream_flush(filtered.get());
  } else {
    g_mime_data_wrapper_write_to_stream(content, memory.get());
  }
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(memory.get()));
  std::string_view raw(reinterpret_cast<const char*>(bytes->data), bytes->len);
  if (filter == nullptr && !internal::IsUtf8(raw)) {
    GString decoded(g_mime_utils_decode_8bit(nullptr, raw.data(), raw.size()));
    if (decoded != nullptr) return ValidUtf8(decoded.get());
  }
  return ValidUtf8(raw);
}

// Text of an HTML body: what a reader sees, one line per block, scripts and styles left out.
// The tree is walked without recursion, so depth costs no stack. Stops past `budget` bytes of
// text, and then says so in `*cut`.
std::string HtmlToText(const std::string& html, size_t budget, bool* cut) {
  std::unique_ptr<xmlDoc, DocFree> doc(htmlReadMemory(
      html.data(), static_cast<int>(std::min<size_t>(html.size(), INT32_MAX)), nullptr, "UTF-8",
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET));
  if (doc == nullptr) return "";
  xmlNode* root = xmlDocGetRootElement(doc.get());
  std::string out;
  const auto is = [](xmlNode* n, std::initializer_list<const char*> names) {
    if (n->type != XML_ELEMENT_NODE || n->name == nullptr) return false;
    const char* name = reinterpret_cast<const char*>(n->name);
    return std::any_of(names.begin(), names.end(),
                       [&](const char* s) { return g_ascii_strcasecmp(name, s) == 0; });
  };
  const auto line_break = [&out] {
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (!out.empty() && out.back() != '\n') out.push_back('\n');
  };
  const auto leave = [&](xmlNode* n) {
    if (is(n, {"p",  "div",     "br",      "li",         "tr",     "h1",      "h2", "h3",
               "h4", "h5",      "h6",      "blockquote", "table",  "ul",      "ol", "pre",
               "hr", "section", "article", "header",     "footer", "address", "dd", "dt"})) {
      line_break();
    }
  };
  const auto enter = [&](xmlNode* n) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      const std::string_view text = n->content ? reinterpret_cast<const char*>(n->content) : "";
      for (size_t i = 0; i < text.size(); ++i) {
        const bool nbsp = text[i] == '\xc2' && i + 1 < text.size() && text[i + 1] == '\xa0';
        if (g_ascii_isspace(text[i]) || nbsp) {
          i += nbsp ? 1 : 0;
          if (!out.empty() && out.back() != ' ' && out.back() != '\n') out.push_back(' ');
        } else {
          out.push_back(text[i]);
        }
      }
      return false;
    }
    return n->type == XML_ELEMENT_NODE &&
           !is(n, {"script", "style", "head", "title", "noscript", "template"});
  };
  xmlNode* n = root;
  while (n != nullptr && out.size() <= budget) {
    if (enter(n) && n->children != nullptr) {
      n = n->children;
      continue;
    }
    leave(n);
    while (n != root && n->next == nullptr) {
      n = n->parent;
      leave(n);
    }
    n = n == root ? nullptr : n->next;
  }
  *cut = n != nullptr;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// The body and what a bounce carries, found in one walk of the MIME tree.
struct Walk {
  GMimePart* plain = nullptr;
  GMimePart* html = nullptr;
  bool delivery_status = false;
  std::string returned_id;  // of the first attached message or text/rfc822-headers part
};

std::string MessageIdOfHeaders(const std::string& headers) {
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(headers.data(), headers.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  return message ? Bracketed(g_mime_message_get_message_id(message.get())) : "";
}

Walk WalkParts(GMimeObject* top) {
  Walk walk;
  std::vector<std::pair<GMimeObject*, int>> stack;
  if (top != nullptr) stack.emplace_back(top, 0);
  size_t seen = 0;
  while (!stack.empty() && ++seen <= kMaxParts) {
    auto [object, depth] = stack.back();
    stack.pop_back();
    if (IsType(object, "message", "delivery-status") ||
        IsType(object, "message", "global-delivery-status")) {
      walk.delivery_status = true;
    } else if (GMIME_IS_MULTIPART(object)) {
      if (depth >= kMaxDepth) continue;
      GMimeMultipart* multipart = GMIME_MULTIPART(object);
      for (int i = g_mime_multipart_get_count(multipart) - 1; i >= 0; --i)
        stack.emplace_back(g_mime_multipart_get_part(multipart, i), depth + 1);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
      GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
      if (inner != nullptr && walk.returned_id.empty())
        walk.returned_id = Bracketed(g_mime_message_get_message_id(inner));
    } else if (GMIME_IS_PART(object)) {
      GMimePart* part = GMIME_PART(object);
      if (IsType(object, "text", "rfc822-headers")) {
        if (walk.returned_id.empty()) walk.returned_id = MessageIdOfHeaders(PartText(part));
      } else if (g_mime_part_is_attachment(part)) {
        continue;
      } else if (walk.plain == nullptr && IsType(object, "text", "plain")) {
        walk.plain = part;
      } else if (walk.html == nullptr && IsType(object, "text", "html")) {
        walk.html = part;
      }
    }
  }
  return walk;
}

// Cut to at most `max` bytes, never inside a character.
bool CutUtf8(std::string* text, size_t max) {
  if (text->size() <= max) return false;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>((*text)[cut]) & 0xC0) == 0x80) --cut;
  text->resize(cut);
  return true;
}

std::string WithoutCarriageReturns(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
}

// What a header says, quoted in kind_reason: at most 60 bytes, one line.
std::string Quote(std::string_view name, const char* value) {
  std::string v = OneLine(value);
  CutUtf8(&v, 60);
  return std::string(name) + ": " + v;
}

void Classify(GMimeMessage* message, const Walk& walk, InboundMessage* m) {
  GMimeObject* object = GMIME_OBJECT(message);
  GMimeObject* body = g_mime_message_get_mime_part(message);
  if (body != nullptr && IsType(body, "multipart", "report")) {
    const char* type = g_mime_object_get_content_type_parameter(body, "report-type");
    if (type != nullptr && (g_ascii_strcasecmp(type, "delivery-status") == 0 ||
                            g_ascii_strcasecmp(type, "global-delivery-status") == 0)) {
      m->kind = ReplyKind::kBounce;
      m->kind_reason = "multipart/report " + Lower(type);
      return;
    }
  }
  const std::string local = Lower(m->from_address.substr(0, m->from_address.rfind('@')));
  if (walk.delivery_status && (local == "mailer-daemon" || local == "postmaster")) {
    m->kind = ReplyKind::kBounce;
    m->kind_reason = "From " + m->from_address + " with a delivery-status part";
    return;
  }
  const auto header = [object](const char* name) { return g_mime_object_get_header(object, name); };
  const auto auto_reply = [m](std::string reason) {
    m->kind = ReplyKind::kAutoReply;
    m->kind_reason = std::move(reason);
  };
  if (const char* v = header("Auto-Submitted")) {
    const std::string_view value = Trim(std::string_view(v).substr(0, std::strcspn(v, ";(")));
    if (!value.empty() && Lower(value) != "no") return auto_reply(Quote("Auto-Submitted", v));
  }
  for (const char* name : {"X-Autoreply", "X-Autorespond"}) {
    if (const char* v = header(name); v != nullptr && Lower(Trim(v)) != "no")
      return auto_reply(Quote(name, v));
  }
  for (const char* name : {"Precedence", "X-Precedence"}) {
    if (const char* v = header(name); v != nullptr && Lower(Trim(v)) == "auto_reply")
      return auto_reply(Quote(name, v));
  }
  for (const char* name :
       {"X-MS-Exchange-Generated-Message-Source", "X-MS-Exchange-Inbox-Rules-Loop"}) {
    if (const char* v = header(name)) return auto_reply(Quote(name, v));
  }
  const std::string_view subject = Trim(m->subject);
  constexpr std::array<std::string_view, 8> kPrefixes = {
      "Automatic reply:", "Auto:",    "Autoreply:", "Auto-Reply:",
      "Out of Office",    "自動回覆", "自动回复",   "Balasan automatik"};
  for (std::string_view prefix : kPrefixes) {
    if (!StartsWithNoCase(subject, prefix)) continue;
    const std::string_view rest = subject.substr(prefix.size());
    if (prefix == "Out of Office" && !rest.empty() && rest[0] != ':' && rest[0] != ' ') continue;
    return auto_reply("subject: " + std::string(subject.substr(0, prefix.size())));
  }
}

}  // namespace

std::string_view ReplyKindName(ReplyKind kind) {
  switch (kind) {
    case ReplyKind::kHuman:
      return "human";
    case ReplyKind::kAutoReply:
      return "auto_reply";
    case ReplyKind::kBounce:
      return "bounce";
  }
  return "human";
}

Result<InboundMessage> ParseMessage(std::string_view rfc822, size_t max_text_bytes,
                                    size_t max_message_bytes) {
  if (rfc822.size() > max_message_bytes) {
    return TooLarge("the message is " + std::to_string(rfc822.size()) +
                    " bytes, over the limit of " + std::to_string(max_message_bytes));
  }
  InitLibraries();
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(rfc822.data(), rfc822.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  if (message == nullptr || !HasMessageHeaders(GMIME_OBJECT(message.get()))) {
    return InvalidArgument(
        "the bytes are not an email message: there is no From, To, Subject, Date or Message-ID "
        "header");
  }
  GMimeMessage* msg = message.get();
  GMimeObject* object = GMIME_OBJECT(msg);
  InboundMessage m;
  m.message_id = Bracketed(g_mime_message_get_message_id(msg));
  if (std::vector<std::string> ids = MessageIds(g_mime_object_get_header(object, "In-Reply-To"));
      !ids.empty()) {
    m.in_reply_to = std::move(ids.front());
  }
  m.references = MessageIds(g_mime_object_get_header(object, "References"));

  std::vector<InternetAddressMailbox*> from;
  Mailboxes(g_mime_message_get_from(msg), &from);
  if (!from.empty()) {
    m.from_address = OneLine(internet_address_mailbox_get_addr(from.front()));
    m.from_name = OneLine(internet_address_get_name(INTERNET_ADDRESS(from.front())));
  }
  for (const char* name : {"Delivered-To", "X-Original-To"}) {
    for (const std::string& value : HeaderValues(object, name)) {
      GPtr<InternetAddressList> list(internet_address_list_parse(nullptr, value.c_str()));
      AddRecipients(list.get(), &m.recipients);
    }
  }
  AddRecipients(g_mime_message_get_to(msg), &m.recipients);
  AddRecipients(g_mime_message_get_cc(msg), &m.recipients);
  m.subject = OneLine(g_mime_message_get_subject(msg));
  if (GDateTime* date = g_mime_message_get_date(msg)) m.date = g_date_time_to_unix(date) * 1000;

  const Walk walk = WalkParts(g_mime_message_get_mime_part(msg));
  bool html_cut = false;
  if (walk.plain != nullptr) {
    m.text = WithoutCarriageReturns(PartText(walk.plain));
  } else if (walk.html != nullptr) {
    m.text = HtmlToText(PartText(walk.html), max_text_bytes, &html_cut);
  }
  m.truncated = CutUtf8(&m.text, max_text_bytes) || html_cut;
  Classify(msg, walk, &m);
  if (m.kind == ReplyKind::kBounce) m.bounced_message_id = walk.returned_id;
  return m;
}

std::string ReplyToken(const InboundMessage& message, std::string_view reply_domain) {
  const std::string domain = Lower(reply_domain);
  for (const std::string& address : message.recipients) {
    const size_t at = address.rfind('@');
    if (at == std::string::npos || domain.empty() || address.substr(at + 1) != domain) continue;
    const std::string_view local = std::string_view(address).substr(0, at);
    for (std::string_view prefix : {"notice+", "bounce+"}) {
      if (!local.starts_with(prefix)) continue;
      const std::string_view token = local.substr(prefix.size());
      if (!token.empty() && token.size() <= 48 &&
          std::all_of(token.begin(), token.end(),
                      [](char c) { return g_ascii_isalnum(c) || c == '-' || c == '_'; })) {
        return std::string(token);
      }
    }
  }
  return "";
}

}  // namespace takedown::notify
