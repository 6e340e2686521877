// FetchNewMessages: the reply mailbox read through libcurl's imap:// and imaps://, read-only.
//
// libcurl opens a mailbox named in the URL with SELECT (read-write), and its own FETCH asks for
// BODY[], which sets \Seen in a read-write mailbox. So the first transfer names the mailbox and
// sends EXAMINE as its command: libcurl SELECTs, then EXAMINE re-opens the mailbox read-only on
// that connection, and libcurl, which believes its SELECT still holds, sends every later command
// on it without selecting again. In a read-only mailbox BODY[] changes no flag (RFC 3501 6.4.5).
// Only an EXAMINE transfer may open a connection (the socket callback refuses the others), so no
// fetch can ever run on a fresh connection that libcurl would SELECT read-write.
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mail/inbound.h"
#include "mail/mail_internal.h"

namespace takedown::notify {

namespace {

// What one transfer writes, up to `cap` bytes; past it the transfer stops (CURLE_WRITE_ERROR).
struct Sink {
  explicit Sink(size_t limit) : cap(limit) {}
  std::string data;
  size_t cap;
  bool over = false;
};

size_t Collect(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * count;
  if (sink->data.size() + n > sink->cap) {
    sink->over = true;
    return 0;
  }
  sink->data.append(data, n);
  return n;
}

curl_socket_t OpenSocket(void* allow, curlsocktype, curl_sockaddr* address) {
  if (!*static_cast<bool*>(allow)) return CURL_SOCKET_BAD;
  return ::socket(address->family, address->socktype, address->protocol);
}

constexpr size_t kMaxAnswer = 4 << 20;  // a listing of 100,000 messages is about 4 MB

// The next line of `text` from `*start`, without its line end.
std::string_view NextLine(std::string_view text, size_t* start) {
  size_t end = text.find('\n', *start);
  if (end == std::string_view::npos) end = text.size();
  std::string_view line = text.substr(*start, end - *start);
  *start = end + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool ParseUint32(std::string_view digits, uint32_t* out) {
  if (digits.empty() || digits.size() > 10) return false;
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (value > UINT32_MAX) return false;
  *out = static_cast<uint32_t>(value);
  return true;
}

// The number in "* OK [UIDVALIDITY 3857529045] UIDs valid"; 0 when there is none.
uint32_t UidValidity(std::string_view answer) {
  constexpr std::string_view kCode = "[UIDVALIDITY ";
  for (size_t start = 0; start < answer.size();) {
    const std::string_view line = NextLine(answer, &start);
    const size_t at = line.find(kCode);
    if (!line.starts_with("* ") || at == std::string_view::npos) continue;
    const std::string_view rest = line.substr(at + kCode.size());
    uint32_t value = 0;
    if (ParseUint32(rest.substr(0, rest.find(']')), &value)) return value;
  }
  return 0;
}

struct Listed {
  uint32_t uid = 0;
  uint64_t size = 0;
};

// The "* 3 FETCH (UID 17 RFC822.SIZE 2048)" lines of a listing, by UID.
std::vector<Listed> ParseListing(std::string_view answer) {
  std::vector<Listed> listed;
  for (size_t start = 0; start < answer.size();) {
    const std::string_view line = NextLine(answer, &start);
    const size_t open = line.find('(');
    if (!line.starts_with("* ") || line.find(" FETCH ") > open || open == std::string_view::npos)
      continue;
    std::vector<std::string_view> words;
    std::string_view items = line.substr(open + 1, line.rfind(')') - open - 1);
    for (size_t at = 0; at <= items.size();) {
      size_t space = items.find(' ', at);
      if (space == std::string_view::npos) space = items.size();
      words.push_back(items.substr(at, space - at));
      at = space + 1;
    }
    Listed item;
    bool has_uid = false, has_size = false;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      uint32_t value = 0;
      if (words[i] == "UID") has_uid = ParseUint32(words[i + 1], &item.uid);
      if (words[i] == "RFC822.SIZE" && ParseUint32(words[i + 1], &value)) {
        item.size = value;
        has_size = true;
      }
    }
    if (has_uid && has_size) listed.push_back(item);
  }
  std::sort(listed.begin(), listed.end(),
            [](const Listed& a, const Listed& b) { return a.uid < b.uid; });
  listed.erase(std::unique(listed.begin(), listed.end(),
                           [](const Listed& a, const Listed& b) { return a.uid == b.uid; }),
               listed.end());
  return listed;
}

}  // namespace

Result<MailboxBatch> FetchNewMessages(const ImapConfig& config, uint32_t uidvalidity,
                                      uint32_t after_uid, size_t max_messages,
                                      size_t max_message_bytes) {
  Result<internal::ServiceUrl> parsed = internal::CheckImapConfig("reply mailbox", config);
  if (!parsed.ok()) return parsed.status();
  internal::CurlGlobalInit();
  internal::CurlPtr curl(curl_easy_init());
  if (curl == nullptr) return Internal("curl_easy_init failed");
  CURL* e = curl.get();
  internal::CurlString escaped(
      curl_easy_escape(e, config.mailbox.data(), static_cast<int>(config.mailbox.size())));
  if (escaped == nullptr) return Internal("out of memory");
  const std::string base = internal::WithoutTrailingSlash(config.url);
  const std::string mailbox_url = base + "/" + escaped.get();
  const std::string where = "the reply mailbox " + base + "/" + config.mailbox;
  char error[CURL_ERROR_SIZE] = {0};
  bool allow_connect = false;
  CURLcode rc = internal::SetImapOptions(e, config, error);
  if (rc == CURLE_OK) rc = curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &OpenSocket);
  if (rc == CURLE_OK) rc = curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, &allow_connect);
  if (rc == CURLE_OK) rc = curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Collect);
  if (rc != CURLE_OK) {
    return Internal(std::string("curl refused an IMAP option: ") + curl_easy_strerror(rc));
  }

  // One transfer: `command` (nullptr: libcurl's own FETCH of `url`) into `sink`.
  const auto perform = [&](const std::string& url, const char* command, Sink* sink) {
    error[0] = '\0';
    CURLcode result = curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    if (result == CURLE_OK) result = curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, command);
    if (result == CURLE_OK) result = curl_easy_setopt(e, CURLOPT_WRITEDATA, sink);
    return result == CURLE_OK ? curl_easy_perform(e) : result;
  };
  const auto failure = [&](CURLcode result, std::string_view doing) -> Status {
    const std::string why = error[0] != '\0' ? error : curl_easy_strerror(result);
    if (result == CURLE_LOGIN_DENIED && std::string_view(why).starts_with("Select failed"))
      return NotFound(where + " cannot be opened: " + why);
    if (result == CURLE_LOGIN_DENIED)
      return PermissionDenied(where + " refused the login of " + config.username + ": " + why);
    if (result == CURLE_USE_SSL_FAILED)
      return Unavailable(where + " does not offer STARTTLS, and TLS is required: " + why);
    return Unavailable("could not " + std::string(doing) + " " + where + ": " + why);
  };
  const std::string examine = "EXAMINE \"" + config.mailbox + "\"";
  // Opens the mailbox read-only (on a new connection when the last one was closed) and returns
  // its UIDVALIDITY.
  const auto open = [&]() -> Result<uint32_t> {
    Sink sink(kMaxAnswer);
    allow_connect = true;
    const CURLcode result = perform(mailbox_url, examine.c_str(), &sink);
    allow_connect = false;
    if (result != CURLE_OK) return failure(result, "open");
    const uint32_t validity = UidValidity(sink.data);
    if (validity == 0) return Unavailable(where + " did not say its UIDVALIDITY on EXAMINE");
    return validity;
  };

  Result<uint32_t> validity = open();
  if (!validity.ok()) return validity.status();
  MailboxBatch batch;
  batch.uidvalidity = *validity;
  const uint32_t start = uidvalidity != 0 && uidvalidity != *validity ? 0 : after_uid;
  batch.last_uid = start;
  if (start == UINT32_MAX) return batch;

  // "n:*" also names the last message when its UID is below n (RFC 3501 6.4.8): filtered here.
  Sink listing(kMaxAnswer);
  const std::string list = "UID FETCH " + std::to_string(start + 1) + ":* (UID RFC822.SIZE)";
  if (CURLcode result = perform(mailbox_url, list.c_str(), &listing); result != CURLE_OK)
    return failure(result, "list the messages of");
  std::vector<Listed> listed = ParseListing(listing.data);
  std::erase_if(listed, [start](const Listed& l) { return l.uid <= start; });
  if (listed.size() > max_messages) {
    batch.more = true;
    listed.resize(max_messages);
  }

  bool closed = false;  // a failed transfer closes its connection: EXAMINE again before the next
  for (const Listed& item : listed) {
    const std::string uid = "uid " + std::to_string(item.uid) + ": ";
    const std::string limit = "over the limit of " + std::to_string(max_message_bytes) + " bytes";
    if (item.size > max_message_bytes) {
      batch.skipped.push_back(uid + std::to_string(item.size) + " bytes, " + limit);
      batch.last_uid = item.uid;
      continue;
    }
    // A refused connection means the server closed the examined one: examine again, once.
    Sink sink(max_message_bytes);
    CURLcode result = CURLE_COULDNT_CONNECT;
    for (int attempt = 0; attempt < 2 && result == CURLE_COULDNT_CONNECT; ++attempt) {
      if (closed) {
        Result<uint32_t> again = open();
        if (!again.ok()) return again.status();
        if (*again != batch.uidvalidity)
          return Unavailable(where + " changed its UIDVALIDITY during the fetch");
      }
      sink.data.clear();
      result = perform(mailbox_url + ";UID=" + std::to_string(item.uid), nullptr, &sink);
      closed = result != CURLE_OK;
    }
    if (result == CURLE_WRITE_ERROR && sink.over) {
      batch.skipped.push_back(uid + "more than " + std::to_string(max_message_bytes) +
                              " bytes (the server said " + std::to_string(item.size) + "), " +
                              limit);
    } else if (result == CURLE_REMOTE_FILE_NOT_FOUND) {
      batch.skipped.push_back(uid + "the server returned no message (expunged meanwhile?)");
    } else if (result != CURLE_OK) {
      return failure(result, "fetch " + uid.substr(0, uid.size() - 2) + " from");
    } else if (Result<InboundMessage> message =
                   ParseMessage(sink.data, 64 * 1024, max_message_bytes);
               message.ok()) {
      message->uid = item.uid;
      batch.messages.push_back(std::move(*message));
    } else {
      batch.skipped.push_back(uid + message.status().message());
    }
    batch.last_uid = item.uid;
  }
  return batch;
}

namespace {

class ImapMailbox : public Mailbox {
 public:
  explicit ImapMailbox(ImapConfig config) : config_(std::move(config)) {}
  std::string Name() const override { return config_.url + "/" + config_.mailbox; }
  Result<MailboxBatch> Fetch(uint32_t uidvalidity, uint32_t after_uid) override {
    return FetchNewMessages(config_, uidvalidity, after_uid);
  }

 private:
  ImapConfig config_;
};

}  // namespace

std::unique_ptr<Mailbox> MakeImapMailbox(ImapConfig config) {
  return std::make_unique<ImapMailbox>(std::move(config));
}

}  // namespace takedown::notify
