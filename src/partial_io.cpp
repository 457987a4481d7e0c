#include "newsgraph/partial_io.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <limits>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "newsgraph/io.hpp"

namespace newsgraph {

namespace {

constexpr char kMagic[] = "newsgraph-partial\n";
constexpr std::size_t kMagicSize = sizeof(kMagic) - 1;
constexpr char kEnd[] = "end\n";

// Buffers output and writes LEB128 integers and length-prefixed strings. Full buffers are
// written to the stream on a helper thread, so encoding the next buffer overlaps the copy of the
// last one into the file. The buffers are filled in place: `used_` bytes of `buf_` are output.
class Writer {
 public:
  explicit Writer(std::ostream& out) : out_(out), thread_([this] { WriteBuffers(); }) {
    buf_.resize(kBufferSize + kSlack);
  }
  ~Writer() {
    Flush();
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  void Uint(std::uint64_t v) {
    char* p = buf_.data() + used_;  // kSlack (at least 10 bytes) is free past kBufferSize
    while (v >= 0x80) {
      *p++ = static_cast<char>((v & 0x7F) | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<char>(v);
    used_ = static_cast<std::size_t>(p - buf_.data());
    MaybeFlush();
  }
  void String(std::string_view s) {
    Uint(s.size());
    Raw(s);
  }
  void Raw(std::string_view s) {
    if (s.empty()) return;  // its data() may be null, which memcpy must not see
    if (used_ + s.size() > buf_.size()) buf_.resize(used_ + s.size() + kSlack);
    std::memcpy(buf_.data() + used_, s.data(), s.size());
    used_ += s.size();
    MaybeFlush();
  }
  void Counts(const CountList& m) {
    Uint(m.size());
    for (const auto& [k, v] : m) {
      String(k);
      Uint(v);
    }
  }
  // Hands the buffer to the writing thread (waiting while it still has the one before).
  void Flush() {
    if (used_ == 0) return;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return full_used_ == 0; });
      full_.swap(buf_);
      full_used_ = used_;
    }
    cv_.notify_all();
    used_ = 0;
    if (buf_.size() < kBufferSize + kSlack) buf_.resize(kBufferSize + kSlack);
  }

 private:
  static constexpr std::size_t kBufferSize = 1 << 16;
  static constexpr std::size_t kSlack = 16;
  void MaybeFlush() {
    if (used_ >= kBufferSize) Flush();
  }
  // The helper thread: writes each full buffer, in order, until the destructor says done.
  void WriteBuffers() {
    std::string writing;
    for (;;) {
      std::size_t size;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return done_ || full_used_ > 0; });
        if (full_used_ == 0) return;
        writing.swap(full_);
        size = full_used_;
        full_used_ = 0;
      }
      cv_.notify_all();
      out_.write(writing.data(), static_cast<std::streamsize>(size));
    }
  }
  std::ostream& out_;
  std::string buf_;  // being filled (the encoding thread)
  std::size_t used_ = 0;
  std::mutex mu_;    // guards full_, full_used_ and done_
  std::condition_variable cv_;
  std::string full_;  // filled, waiting for the helper
  std::size_t full_used_ = 0;
  bool done_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

// Numbers the graph's entities, document ids or passages in the order the writer first meets
// them, by the graph's own numbers for them (NodeView::id; EvidenceView::doc_id, text_id: equal
// ids, equal strings), so the file's numbers depend only on the strings and their order. Four
// bytes a string.
class IdNumbers {
 public:
  // Returns the file's number for the string the graph numbers `id`, and whether it is new.
  std::pair<std::uint64_t, bool> Number(std::uint32_t id) {
    if (id >= number_of_.size())
      number_of_.resize(std::max<std::size_t>(id + 1, 2 * number_of_.size()), 0);
    std::uint32_t& n = number_of_[id];  // the number + 1; 0: not met yet
    if (n != 0) return {n - 1, false};
    n = ++count_;
    return {n - 1, true};
  }

 private:
  std::vector<std::uint32_t> number_of_;
  std::uint32_t count_ = 0;
};

// Reads what Writer writes, from a buffer it refills in large reads; the first failure sticks
// and names the byte offset.
class Reader {
 public:
  Reader(std::istream& in, const std::string& origin)
      : in_(in), origin_(origin), buf_(kBufferSize) {}
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  std::uint64_t Uint() {
    if (!ok()) return 0;
    if (end_ - pos_ >= 10) {  // the whole integer is buffered
      std::uint64_t v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        const auto c = static_cast<unsigned char>(buf_[pos_++]);
        v |= static_cast<std::uint64_t>(c & 0x7F) << shift;
        if ((c & 0x80) == 0) return v;
      }
      Fail("integer too long");
      return 0;
    }
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const int c = Get();
      if (c < 0) return 0;
      v |= static_cast<std::uint64_t>(c & 0x7F) << shift;
      if ((c & 0x80) == 0) return v;
    }
    Fail("integer too long");
    return 0;
  }
  std::uint32_t Uint32() {
    const std::uint64_t v = Uint();
    if (v > std::numeric_limits<std::uint32_t>::max()) Fail("offset out of range");
    return static_cast<std::uint32_t>(v);
  }
  std::string String() {
    const std::uint64_t n = Uint();
    std::string s;
    if (!ok()) return s;
    if (n > (std::uint64_t{1} << 32)) {
      Fail("string length out of range");
      return s;
    }
    // Read a piece at a time, so that a damaged length costs no more memory than the bytes
    // that are really there.
    constexpr std::uint64_t kPiece = 1 << 20;
    for (std::uint64_t got = 0; got < n;) {
      const std::uint64_t want = std::min(kPiece, n - got);
      s.resize(got + want);
      if (Read(s.data() + got, want) != want) {
        Fail("truncated");
        return std::string();
      }
      got += want;
    }
    return s;
  }
  void Counts(std::map<std::string, std::uint64_t>* m) {
    const std::uint64_t n = Uint();
    for (std::uint64_t i = 0; i < n && ok(); ++i) {
      std::string k = String();
      const std::uint64_t v = Uint();
      (*m)[std::move(k)] += v;
    }
  }
  bool Expect(std::string_view bytes) {
    std::string got(bytes.size(), '\0');
    return Read(got.data(), bytes.size()) == bytes.size() && got == bytes;
  }
  // Whether every byte of the input has been read.
  bool AtEnd() { return pos_ == end_ && !Refill(); }
  void Fail(const std::string& what) {
    if (status_.ok())
      status_ = Status::InvalidInput(origin_ + ": byte " + std::to_string(consumed_ + pos_) +
                                     ": not a valid partial graph: " + what);
  }

 private:
  static constexpr std::size_t kBufferSize = 1 << 16;
  // Reads the next buffer's worth; false at the end of the input.
  bool Refill() {
    consumed_ += end_;
    pos_ = end_ = 0;
    in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    end_ = static_cast<std::size_t>(in_.gcount());
    return end_ > 0;
  }
  int Get() {
    if (!ok()) return -1;
    if (pos_ == end_ && !Refill()) {
      Fail("truncated");
      return -1;
    }
    return static_cast<unsigned char>(buf_[pos_++]);
  }
  // Copies up to `n` bytes to `out`; returns how many there were.
  std::uint64_t Read(char* out, std::uint64_t n) {
    std::uint64_t got = 0;
    while (got < n) {
      if (pos_ == end_ && !Refill()) break;
      const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(n - got, end_ - pos_));
      std::memcpy(out + got, buf_.data() + pos_, take);
      pos_ += take;
      got += take;
    }
    return got;
  }
  std::istream& in_;
  const std::string& origin_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, end_ = 0;  // the unread bytes of buf_
  std::uint64_t consumed_ = 0;     // input bytes before buf_
  Status status_;
};

unsigned ScopeCode(ScopeKind k) {
  switch (k) {
    case ScopeKind::kSentence: return 0;
    case ScopeKind::kParagraph: return 1;
    case ScopeKind::kWindow: return 2;
    case ScopeKind::kDocument: return 3;
  }
  return 0;
}

unsigned SliceCode(TimeSlice t) {
  switch (t) {
    case TimeSlice::kNone: return 0;
    case TimeSlice::kDay: return 1;
    case TimeSlice::kWeek: return 2;
    case TimeSlice::kMonth: return 3;
  }
  return 0;
}

const char* SliceName(TimeSlice t) {
  static const char* const kNames[] = {"none", "day", "week", "month"};
  return kNames[SliceCode(t)];
}

}  // namespace

Status WritePartial(const PartialGraph& graph, const RelateOptions& options, std::ostream& out) {
  {
    Writer w(out);
    w.Raw(std::string_view(kMagic, kMagicSize));
    w.Uint(kPartialFormatVersion);
    w.Uint(ScopeCode(options.scope.kind));
    w.Uint(options.scope.window);
    w.Uint(options.evidence);
    w.Uint(options.evidence_chars);
    w.Uint(SliceCode(options.slice));
    w.Uint(graph.documents());
    w.Uint(graph.units());
    w.Uint(graph.mentions());
    w.Uint(graph.bytes());
    w.Uint(graph.node_count());
    IdNumbers nodes, docs, passages;  // nodes: their places in name order
    graph.ForEachNode([&](const NodeView& n) {
      nodes.Number(n.id);
      w.String(n.name);
      w.Uint(n.frequency);
      w.Uint(n.documents);
      w.Uint(n.units);
      w.String(n.first_seen);
      w.String(n.last_seen);
      w.Counts(n.type_votes);
      w.Counts(n.periods);
      w.Counts(n.surfaces);
    });
    w.Uint(graph.edge_count());
    // A string that evidence repeats is written where it first occurs and referred to by
    // number after that: the edges among the entities of a sentence all quote it.
    auto shared = [&w](IdNumbers* numbers, std::uint32_t id, std::string_view s) {
      const auto [number, fresh] = numbers->Number(id);
      w.Uint(number);
      if (fresh) w.String(s);
    };
    graph.ForEachEdge([&](const EdgeView& e) {
      w.Uint(nodes.Number(e.first_id).first);
      w.Uint(nodes.Number(e.second_id).first);
      w.Uint(e.count);
      w.Uint(e.documents);
      w.String(e.first_seen);
      w.String(e.last_seen);
      w.Counts(e.periods);
      w.Uint(e.evidence.size());
      for (const EvidenceView& ev : e.evidence) {
        shared(&docs, ev.doc_id, ev.doc);
        w.Uint(ev.begin);
        w.Uint(ev.end);
        shared(&passages, ev.text_id, ev.text);
      }
    });
    w.Raw(kEnd);
  }
  if (!out) return Status::IoError("write failed");
  return Status::Ok();
}

Status SavePartial(const PartialGraph& graph, const RelateOptions& options,
                   const std::string& path) {
  AtomicFile file(path);
  if (!file.status().ok()) return file.status();
  Status s = WritePartial(graph, options, file.stream());
  if (!s.ok()) return Status::IoError(path + ": " + s.message());
  return file.Commit();
}

Status ReadPartial(std::istream& in, const std::string& origin, PartialGraph* graph,
                   RelateOptions* options) {
  Reader r(in, origin);
  if (!r.Expect(std::string_view(kMagic, kMagicSize))) {
    return Status::InvalidInput(origin + ": not a newsgraph partial graph (no header)");
  }
  const std::uint64_t version = r.Uint();
  if (r.ok() && (version == 0 || version > kPartialFormatVersion)) {
    return Status::InvalidInput(origin + ": partial graph format version " +
                                std::to_string(version) + ", this newsgraph reads versions 1 to " +
                                std::to_string(kPartialFormatVersion));
  }
  RelateOptions o;
  const std::uint64_t scope = r.Uint();
  const std::uint64_t window = r.Uint();
  static const ScopeKind kScopes[] = {ScopeKind::kSentence, ScopeKind::kParagraph,
                                      ScopeKind::kWindow, ScopeKind::kDocument};
  if (scope > 3 || window == 0 || window > 1000) r.Fail("bad scope");
  o.scope = {kScopes[scope & 3], static_cast<std::uint32_t>(window)};
  o.evidence = r.Uint();
  o.evidence_chars = r.Uint();
  const std::uint64_t slice = r.Uint();
  static const TimeSlice kSlices[] = {TimeSlice::kNone, TimeSlice::kDay, TimeSlice::kWeek,
                                      TimeSlice::kMonth};
  if (slice > 3) r.Fail("bad time slice");
  o.slice = kSlices[slice & 3];
  PartialGraph g;
  const std::uint64_t documents = r.Uint(), units = r.Uint(), mentions = r.Uint(),
                      bytes = r.Uint();
  g.SetTotals(documents, units, mentions, bytes);
  const std::uint64_t node_count = r.Uint();
  std::vector<std::string> names;  // version 2's edges name their ends by number
  NodeStats n;
  for (std::uint64_t i = 0; i < node_count && r.ok(); ++i) {
    std::string name = r.String();
    if (r.ok() && !names.empty() && name <= names.back()) r.Fail("entities out of order");
    n = NodeStats();
    n.frequency = r.Uint();
    n.documents = r.Uint();
    n.units = r.Uint();
    n.first_seen = r.String();
    n.last_seen = r.String();
    r.Counts(&n.type_votes);
    r.Counts(&n.periods);
    r.Counts(&n.surfaces);
    if (!r.ok()) break;
    g.AddNode(name, n);
    names.push_back(std::move(name));
  }
  // Version 2: an entity by its number in the node list; a document id or passage by its number
  // among those met so far, the next number bringing a new one.
  auto entity = [&]() -> std::string_view {
    const std::uint64_t k = r.Uint();
    if (!r.ok()) return {};
    if (k >= names.size()) {
      r.Fail("entity number out of range");
      return {};
    }
    return names[k];
  };
  std::vector<SharedString> doc_table, passage_table;
  auto shared = [&](std::vector<SharedString>* table) -> SharedString {
    const std::uint64_t k = r.Uint();
    if (!r.ok()) return {};
    if (k < table->size()) return (*table)[k];
    if (k > table->size()) {
      r.Fail("string number out of range");
      return {};
    }
    SharedString s(r.String());
    table->push_back(s);
    return s;
  };
  const std::uint64_t edge_count = r.Uint();
  EdgeStats e;
  std::string first_name, second_name;  // version 1's
  std::string_view first, second;
  for (std::uint64_t i = 0; i < edge_count && r.ok(); ++i) {
    if (version == 1) {
      first = first_name = r.String();
      second = second_name = r.String();
    } else {
      first = entity();
      second = entity();
      if (r.ok() && first >= second) r.Fail("edge ends out of order");
    }
    e = EdgeStats();
    e.count = r.Uint();
    e.documents = r.Uint();
    e.first_seen = r.String();
    e.last_seen = r.String();
    r.Counts(&e.periods);
    const std::uint64_t n = r.Uint();
    if (n > o.evidence) r.Fail("more evidence than its limit");
    for (std::uint64_t k = 0; k < n && r.ok(); ++k) {
      Evidence ev;
      ev.doc = version == 1 ? SharedString(r.String()) : shared(&doc_table);
      ev.begin = r.Uint32();
      ev.end = r.Uint32();
      ev.text = version == 1 ? SharedString(r.String()) : shared(&passage_table);
      e.evidence.push_back(std::move(ev));
    }
    if (r.ok() && !g.AddEdge(first, second, e, o.evidence)) {
      r.Fail("edge between unknown entities");
    }
  }
  if (!r.ok()) return r.status();
  if (!r.Expect(kEnd)) {
    return Status::InvalidInput(origin + ": not a valid partial graph: truncated or trailing data");
  }
  if (!r.AtEnd()) {
    return Status::InvalidInput(origin + ": not a valid partial graph: trailing data");
  }
  *graph = std::move(g);
  *options = o;
  return Status::Ok();
}

Status LoadPartial(const std::string& path, PartialGraph* graph, RelateOptions* options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  return ReadPartial(in, path, graph, options);
}

Status CheckMergeable(const RelateOptions& a, const RelateOptions& b) {
  auto describe = [](const RelateOptions& o) {
    return "scope " + ScopeName(o.scope) + ", slice " + SliceName(o.slice) + ", evidence " +
           std::to_string(o.evidence) + " of up to " + std::to_string(o.evidence_chars) +
           " bytes";
  };
  if (a.scope.kind != b.scope.kind || a.scope.window != b.scope.window || a.slice != b.slice ||
      a.evidence != b.evidence || a.evidence_chars != b.evidence_chars) {
    return Status::InvalidInput("partial graphs counted differently cannot be merged (" +
                                describe(a) + " vs " + describe(b) + ")");
  }
  return Status::Ok();
}

}  // namespace newsgraph
