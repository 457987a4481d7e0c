// Helpers the exporters share (internal header).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "newsgraph/evidence.hpp"

namespace newsgraph {

// Returns `v` in the shortest form that round-trips to 6 significant digits ("0" for NaN/inf).
std::string FormatDouble(double v);
// Writes FormatDouble(v) to `out`, which has room for kDoubleChars; returns the end.
constexpr std::size_t kDoubleChars = 32;
inline char* FormatDoubleTo(char* out, double v) {
  if (!std::isfinite(v)) {
    *out = '0';
    return out + 1;
  }
  return std::to_chars(out, out + kDoubleChars, v, std::chars_format::general, 6).ptr;
}
// Returns the number FormatDouble(v) reads back as (0 for NaN and infinities): `v` rounded
// to 6 significant digits. Mostly by scaling with an exact power of ten, several times faster
// than writing and reading the text, which it falls back to where that is not exact.
double RoundedAsWritten(double v);
// Returns up to `limit` aliases joined by "; ".
std::string JoinAliases(const std::vector<std::string>& aliases, std::size_t limit);
// Returns the evidence passages as "doc [begin,end]: text" lines.
std::string EvidenceText(const EvidenceList& evidence);
// Appends EvidenceText(evidence) to `out`.
void AppendEvidenceText(const EvidenceList& evidence, std::string* out);
// Returns `s` as a double-quoted DOT string.
std::string DotQuote(std::string_view s);

// The exporters' output buffer: text is appended to memory and written to the stream in large
// blocks, with the escapes and number formats of the functions above applied in place (no
// temporary strings). Call Done() at the end; it flushes and reports the stream's state.
class Sink {
 public:
  // Writes to `out`; without a stream, collects the text for Take().
  explicit Sink(std::ostream* out) : out_(out) {
    if (out_) buf_.reserve(kBlock + kBlock / 4);
  }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;
  ~Sink() { Flush(); }

  Sink& operator<<(std::string_view s) {
    buf_.append(s.data(), s.size());
    return *this;
  }
  Sink& operator<<(char c) {
    buf_.push_back(c);
    return *this;
  }
  // Integers as std::to_string writes them.
  Sink& Uint(std::uint64_t v) {
    char tmp[24];
    const char* end = std::to_chars(tmp, tmp + sizeof tmp, v).ptr;
    return *this << std::string_view(tmp, static_cast<std::size_t>(end - tmp));
  }
  Sink& Int(std::int64_t v) {
    char tmp[24];
    const char* end = std::to_chars(tmp, tmp + sizeof tmp, v).ptr;
    return *this << std::string_view(tmp, static_cast<std::size_t>(end - tmp));
  }
  // FormatDouble's text ("%.6g"; "0" for NaN and infinities).
  Sink& Double(double v) {
    char tmp[kDoubleChars];
    return *this << std::string_view(tmp, static_cast<std::size_t>(FormatDoubleTo(tmp, v) - tmp));
  }
  // XmlEscape(s); with `attribute`, tabs and line breaks also become character references
  // (XML parsers normalise them to spaces in attribute values).
  Sink& Xml(std::string_view s, bool attribute = false);
  // ValidUtf8(s).
  Sink& Utf8(std::string_view s);
  // CsvField(ValidUtf8(s)).
  Sink& Csv(std::string_view s);
  // The passages of EvidenceText, escaped as Xml() does.
  Sink& XmlEvidence(const EvidenceList& evidence, bool attribute = false);
  // The aliases of JoinAliases, escaped as Xml() does.
  Sink& XmlAliases(const std::vector<std::string>& aliases, std::size_t limit,
                   bool attribute = false);

  // Writes the buffer out once it holds a block; call between records.
  void MaybeFlush() {
    if (out_ && buf_.size() >= kBlock) Flush();
  }
  void Flush() {
    if (!out_) return;
    if (!buf_.empty()) out_->write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }
  // Flushes; returns whether every write succeeded.
  bool Done() {
    Flush();
    return !out_ || static_cast<bool>(*out_);
  }
  // Returns the text collected (without a stream).
  std::string Take() { return std::move(buf_); }

 private:
  static constexpr std::size_t kBlock = std::size_t{1} << 20;
  std::ostream* out_;
  std::string buf_;
};

// How each entity type is drawn.
struct TypeStyle {
  std::string_view type, color, shape;
  int r, g, b;
};
// Returns the style of `type` (a neutral grey for types without one).
const TypeStyle& StyleOf(std::string_view type);

}  // namespace newsgraph

namespace newsgraph {

// Returns the first and last day ("YYYY-MM-DD") an ISO 8601 date covers: "2024" is the whole
// year, "2024-06" the month, "2024-06-14T10:00Z" that day. Empty strings for a malformed date.
std::pair<std::string, std::string> DateBounds(std::string_view date);
// Returns the first and last day of a period key made by PeriodOf ("2024-06-14", "2024-W24",
// "2024-06"); empty strings when `period` is not one.
std::pair<std::string, std::string> PeriodBounds(std::string_view period);

// Returns `field` as an RFC 4180 CSV field: quoted (quotes doubled) when it holds a comma, a
// quote, a line break or leading/trailing space.
std::string CsvField(std::string_view field);

// Returns `s` with every invalid UTF-8 sequence (bad bytes, encoded surrogates) replaced by
// U+FFFD, so JSON and XML readers accept it.
std::string ValidUtf8(std::string_view s);

}  // namespace newsgraph
