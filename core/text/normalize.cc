// Text normalization with ICU and a per-code-point fast path (see normalize.h).
#include "core/text/normalize.h"


#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/text/utf8.h"

namespace cg::core {
namespace {

// Category of a code point after NFKC and Traditional → Simplified.
enum Kind : std::uint8_t {
  kPlain = 0,
  kSpace,     // collapses
  kDrop,      // removed (quotes, zero-width characters)
  kOpen,      // → '('
  kClose,     // → ')'
  kDash,      // → '-'
  kComma,     // → ','
  kPeriod,    // → '.'
  kDot,       // middle dot → U+00B7
  kKindMask = 0x0F,
  kNeedsIcu = 0x80,  // NFKC of this code point depends on context or is not one code point
};

Kind Categorize(char32_t cp) {
  switch (cp) {
    case ' ': case '\t': case '\n': case '\r': case '\f': case '\v': case 0x00A0: case 0x3000:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F:
      return kSpace;
    case '"': case '\'': case '`': case 0x2018: case 0x2019: case 0x201A: case 0x201B:
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x300C: case 0x300D: case 0x300E:
    case 0x300F: case 0x301D: case 0x301E: case 0x301F: case 0x200B: case 0x200C: case 0x200D:
    case 0x2060: case 0xFEFF: case 0x00AD:
      return kDrop;
    case '(': case '[': case '{': case 0x3010: case 0x3014: case 0x3016: case 0x3018:
    case 0x301A: case 0x2985: case 0xFF5F:
      return kOpen;
    case ')': case ']': case '}': case 0x3011: case 0x3015: case 0x3017: case 0x3019:
    case 0x301B: case 0x2986: case 0xFF60:
      return kClose;
    case '-': case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0xFE58: case 0xFE63:
      return kDash;
    case ',': case 0x3001: case 0xFE50: case 0xFE51:
      return kComma;
    case 0x3002: case 0xFF61:
      return kPeriod;
    case 0x00B7: case 0x2022: case 0x30FB: case 0x2027: case 0x2219: case 0x22C5: case 0x0387:
    case 0x2E31: case 0x318D: case 0x16EB: case 0x2E33:
      return kDot;
    default:
      if (cp >= 0x2000 && cp <= 0x200A) return kSpace;
      return kPlain;
  }
}

const icu::Normalizer2& Nfkc() {
  static const icu::Normalizer2* const nfkc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* instance = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status) || instance == nullptr) std::abort();  // ICU data missing: a broken install
    return instance;
  }();
  return *nfkc;
}

// The cached transliterator and a per-thread clone (ICU transliterators are not thread-safe).
const icu::Transliterator& TransliteratorPrototype() {
  static const std::unique_ptr<icu::Transliterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> created(icu::Transliterator::createInstance(
        "Traditional-Simplified", UTRANS_FORWARD, status));
    if (U_FAILURE(status) || !created) std::abort();  // ICU data missing: a broken install
    return created;
  }();
  return *prototype;
}

icu::Transliterator& ThreadTransliterator() {
  static std::mutex clone_mutex;
  thread_local const std::unique_ptr<icu::Transliterator> clone = [] {
    std::lock_guard<std::mutex> lock(clone_mutex);
    return std::unique_ptr<icu::Transliterator>(TransliteratorPrototype().clone());
  }();
  return *clone;
}

// Per-code-point table of the Basic Multilingual Plane: the code point after NFKC (when that is
// context-free and a single code point) and Traditional → Simplified, and its Kind.
struct Table {
  std::vector<char16_t> mapped;
  std::vector<std::uint8_t> kind;
};

Table BuildTable() {
  Table table;
  table.mapped.resize(0x10000);
  table.kind.resize(0x10000);
  const icu::Normalizer2& nfkc = Nfkc();
  // Traditional → Simplified, positionally, over the Han blocks in one call (the mapping is one
  // code point to one code point there; checked, with a per-character fallback).
  std::vector<char16_t> simplified(0x10000);
  for (std::size_t cp = 0; cp < 0x10000; ++cp) simplified[cp] = char16_t(cp);
  {
    icu::UnicodeString han;
    for (UChar32 cp = 0x3400; cp <= 0x9FFF; ++cp) han.append(cp);
    icu::UnicodeString converted = han;
    ThreadTransliterator().transliterate(converted);
    if (converted.length() == han.length()) {
      for (int32_t i = 0; i < han.length(); ++i) simplified[han[i]] = converted[i];
    } else {
      for (UChar32 cp = 0x3400; cp <= 0x9FFF; ++cp) {
        icu::UnicodeString one(cp);
        ThreadTransliterator().transliterate(one);
        if (one.length() == 1) simplified[cp] = one[0];
      }
    }
  }
  for (UChar32 cp = 0; cp < 0x10000; ++cp) {
    UChar32 target = cp;
    std::uint8_t flags = 0;
    if (U16_IS_SURROGATE(cp)) {
      flags = kNeedsIcu;
    } else if (!nfkc.isInert(cp)) {
      UErrorCode status = U_ZERO_ERROR;
      const icu::UnicodeString normalized = nfkc.normalize(icu::UnicodeString(cp), status);
      const bool single = U_SUCCESS(status) && normalized.countChar32() == 1;
      const UChar32 first = single ? normalized.char32At(0) : cp;
      if (single && nfkc.hasBoundaryBefore(cp) && nfkc.hasBoundaryAfter(cp) && first < 0x10000) {
        target = first;  // context-free single code point: the table handles it
      } else if (!(single && first == cp && nfkc.hasBoundaryBefore(cp))) {
        // Decomposes to several code points, or combines with what precedes it.
        flags = kNeedsIcu;
      }
    }
    if (target < 0x10000) target = simplified[target];
    table.mapped[cp] = char16_t(target);
    table.kind[cp] = std::uint8_t(Categorize(char32_t(target)) | flags);
  }
  return table;
}

const Table& GetTable() {
  static const Table table = BuildTable();
  return table;
}

void Append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

// A space survives between two of these (Latin words, numbers, "Co., Ltd.").
bool IsAsciiGraphic(char32_t cp) { return cp > 0x20 && cp < 0x7F; }

// What a character of kind `kind` (not a space, not dropped) is written as: brackets, dashes,
// commas, periods and middle dots of every width and script become one form each.
inline char32_t ByKind(std::uint8_t kind, char32_t cp) {
  switch (kind) {
    case kOpen: return '(';
    case kClose: return ')';
    case kDash: return '-';
    case kComma: return ',';
    case kPeriod: return '.';
    case kDot: return 0x00B7;
    default: return cp;
  }
}

// True if the fast table can handle `text` alone (every code point in the BMP and not flagged).
bool FastPathApplies(std::string_view text, const Table& table) {
  for (std::size_t pos = 0; pos < text.size();) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      ++pos;
      continue;
    }
    std::size_t length = 0;
    const char32_t cp = text::DecodeUtf8(text, pos, &length);
    pos += length;
    if (cp >= 0x10000 || (table.kind[cp] & kNeedsIcu)) return false;
  }
  return true;
}

// The table pass: mapping, categories, spaces, case. `text` is NFKC already or fast-path safe
// (the slow path, and the reference).
void TablePass(std::string_view text, std::string& out, const TextOptions& options,
               const Table& table) {
  bool pending_space = false;
  char32_t last = 0;  // last code point written
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t length = 1;
    char32_t cp = static_cast<unsigned char>(text[pos]);
    if (cp >= 0x80) cp = text::DecodeUtf8(text, pos, &length);
    pos += length;
    std::uint8_t kind = kPlain;
    if (cp < 0x10000) {
      kind = table.kind[cp] & kKindMask;
      cp = table.mapped[cp];
    } else {
      kind = Categorize(cp);
    }
    if (kind == kSpace) {
      pending_space = !out.empty();
      continue;
    }
    if (kind == kDrop) continue;
    cp = ByKind(kind, cp);
    if (options.upper_ascii && cp >= 'a' && cp <= 'z') cp = cp - 'a' + 'A';
    if (pending_space && !options.drop_all_spaces && IsAsciiGraphic(last) && IsAsciiGraphic(cp)) {
      out += ' ';
    }
    pending_space = false;
    Append(out, cp);
    last = cp;
  }
}

// Writes the UTF-8 of a BMP code point at `at`; returns the end.
inline char* Put(char* at, char32_t cp) {
  if (cp < 0x80) {
    *at++ = char(cp);
  } else if (cp < 0x800) {
    *at++ = char(0xC0 | (cp >> 6));
    *at++ = char(0x80 | (cp & 0x3F));
  } else {
    *at++ = char(0xE0 | (cp >> 12));
    *at++ = char(0x80 | ((cp >> 6) & 0x3F));
    *at++ = char(0x80 | (cp & 0x3F));
  }
  return at;
}

// Writes the UTF-8 of a code point outside the BMP at `at`; returns the end.
inline char* PutSupplementary(char* at, char32_t cp) {
  *at++ = char(0xF0 | (cp >> 18));
  *at++ = char(0x80 | ((cp >> 12) & 0x3F));
  *at++ = char(0x80 | ((cp >> 6) & 0x3F));
  *at++ = char(0x80 | (cp & 0x3F));
  return at;
}

// The code point at text[pos] and its length, as text::DecodeUtf8 decodes it, with the
// well-formed two- and three-byte sequences (Latin, CJK) decoded inline.
inline char32_t DecodeAt(std::string_view text, std::size_t pos, std::size_t* length) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned byte0 = bytes[pos];
  if (byte0 < 0x80) {
    *length = 1;
    return byte0;
  }
  if (byte0 >= 0xC2 && byte0 <= 0xDF && pos + 1 < text.size() && (bytes[pos + 1] & 0xC0) == 0x80) {
    *length = 2;
    return char32_t(((byte0 & 0x1F) << 6) | (bytes[pos + 1] & 0x3F));
  }
  if ((byte0 & 0xF0) == 0xE0 && pos + 2 < text.size() && (bytes[pos + 1] & 0xC0) == 0x80 &&
      (bytes[pos + 2] & 0xC0) == 0x80) {
    const char32_t cp = ((byte0 & 0x0F) << 12) | ((bytes[pos + 1] & 0x3F) << 6) | (bytes[pos + 2] & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {  // not overlong, not a surrogate
      *length = 3;
      return cp;
    }
  }
  return text::DecodeUtf8(text, pos, length);  // four bytes, or ill-formed: ICU's rules
}

// The fast path in one pass: FastPathApplies and TablePass together, writing through a pointer
// into `out` sized for the worst case (a code point of one byte or more gives at most a space
// and three bytes). Returns false, with `out` unspecified, at the first code point that needs
// ICU (outside the BMP or not NFKC-inert): the caller then takes the slow path.
bool FastTablePass(std::string_view text, std::string& out, const TextOptions& options, const Table& table) {
  out.resize(4 * text.size());
  char* const begin = out.data();
  char* at = begin;
  const char16_t* const mapped = table.mapped.data();
  const std::uint8_t* const kinds = table.kind.data();
  bool pending_space = false;
  char32_t last = 0;  // last code point written
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t length = 1;
    char32_t cp = DecodeAt(text, pos, &length);
    pos += length;
    if (cp >= 0x10000) return false;
    const std::uint8_t flags = kinds[cp];
    if (flags & kNeedsIcu) return false;
    cp = mapped[cp];
    const std::uint8_t kind = flags & kKindMask;
    if (kind == kSpace) {
      pending_space = at != begin;
      continue;
    }
    if (kind == kDrop) continue;
    cp = ByKind(kind, cp);
    if (options.upper_ascii && cp >= 'a' && cp <= 'z') cp = cp - 'a' + 'A';
    if (pending_space && !options.drop_all_spaces && IsAsciiGraphic(last) && IsAsciiGraphic(cp)) {
      *at++ = ' ';
    }
    pending_space = false;
    at = Put(at, cp);
    last = cp;
  }
  out.resize(std::size_t(at - begin));
  return true;
}

std::string Utf16ToUtf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace

std::string NfkcIcu(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString normalized = Nfkc().normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size()))), status);
  if (U_FAILURE(status)) return std::string(text);
  return Utf16ToUtf8(normalized);
}

std::string TraditionalToSimplifiedIcu(std::string_view text) {
  icu::UnicodeString converted =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
  ThreadTransliterator().transliterate(converted);
  return Utf16ToUtf8(converted);
}

void NormalizeText(std::string_view text, std::string& out, const TextOptions& options) {
  const Table& table = GetTable();
  if (FastTablePass(text, out, options, table)) return;
  out.clear();
  // Slow path: ICU NFKC on the whole string, then Traditional → Simplified with the
  // transliterator (which also covers characters outside the BMP), then the table pass.
  thread_local std::string staged;
  staged = TraditionalToSimplifiedIcu(NfkcIcu(text));
  TablePass(staged, out, options, table);
}

void NormalizeTextReference(std::string_view text, std::string& out, const TextOptions& options) {
  out.clear();
  const Table& table = GetTable();
  if (FastPathApplies(text, table)) {
    TablePass(text, out, options, table);
    return;
  }
  TablePass(TraditionalToSimplifiedIcu(NfkcIcu(text)), out, options, table);
}

std::string NormalizeText(std::string_view text, const TextOptions& options) {
  std::string out;
  NormalizeText(text, out, options);
  return out;
}

void TrimNamePunctuation(std::string& name) {
  // After NormalizeText: '，' is ',', '。' is '.', '、' is ','. A '.' after an ASCII letter or digit
  // stays (CO.,LTD., J.R.); empty brackets go too.
  auto strippable = [&name](std::size_t end) {
    const char last = name[end - 1];
    if (last == ',' || last == ';' || last == ':' || last == '!' || last == '?' || last == '*' || last == '#' ||
        last == ' ') {
      return std::size_t{1};
    }
    if (last == '.' && (end == 1 || !std::isalnum(static_cast<unsigned char>(name[end - 2])))) return std::size_t{1};
    if (last == ')' && end >= 2 && name[end - 2] == '(') return std::size_t{2};
    return std::size_t{0};
  };
  std::size_t end = name.size();
  while (end > 0) {
    const std::size_t cut = strippable(end);
    if (cut == 0) break;
    end -= cut;
  }
  name.resize(end);
  std::size_t begin = 0;
  while (begin < name.size() && (name[begin] == ',' || name[begin] == ';' || name[begin] == ':' || name[begin] == '*' ||
                                 name[begin] == '#' || name[begin] == '.' || name[begin] == ' ')) {
    ++begin;
  }
  name.erase(0, begin);
}

namespace {

bool IsHan(char32_t cp) { return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || cp >= 0x20000; }

// A transliterated name written with spaces instead of the middle dot ("努尔兰 热合曼"): Han
// characters only, in two or more parts of two or more characters each, five or more in all (a Han
// name has at most four: 欧阳娜娜). Returns the name with its spaces (runs of ' ', U+3000, U+00A0)
// replaced by '·', or false when the name is not one.
bool DotForSpacedParts(std::string_view name, std::string& dotted) {
  if (name.find(' ') == std::string_view::npos && name.find("\xE3\x80\x80") == std::string_view::npos &&
      name.find("\xC2\xA0") == std::string_view::npos) {
    return false;
  }
  std::size_t parts = 0, part_length = 0, total = 0, shortest = 1000;
  dotted.clear();
  bool pending_space = false;
  for (std::size_t pos = 0; pos < name.size();) {
    std::size_t length = 1;
    const char32_t cp = text::DecodeUtf8(name, pos, &length);
    const std::string_view bytes = name.substr(pos, length);
    pos += length;
    if (cp == ' ' || cp == 0x3000 || cp == 0x00A0) {
      pending_space = part_length > 0;
      continue;
    }
    if (!IsHan(cp)) return false;
    if (pending_space) {
      shortest = std::min(shortest, part_length);
      ++parts;
      part_length = 0;
      dotted += "\xC2\xB7";
      pending_space = false;
    }
    dotted.append(bytes);
    ++part_length;
    ++total;
  }
  if (part_length > 0) {
    shortest = std::min(shortest, part_length);
    ++parts;
  }
  return parts >= 2 && shortest >= 2 && total >= 5;
}

}  // namespace

void NormalizePersonName(std::string_view name, std::string& out) {
  thread_local std::string staged;
  thread_local std::string dotted;
  if (DotForSpacedParts(name, dotted)) name = dotted;
  NormalizeText(name, staged, TextOptions{.upper_ascii = true});
  // '.' between two non-ASCII characters is a middle dot; spaces around a middle dot go.
  // Written through a pointer into `out` sized for the worst case (a byte of `staged` gives at
  // most three: an ill-formed byte becomes U+FFFD, as in NormalizePersonNameReference).
  out.resize(3 * staged.size());
  char* const begin = out.data();
  char* at = begin;
  std::size_t pos = 0;
  char32_t previous = 0;
  while (pos < staged.size()) {
    std::size_t length = 1;
    char32_t cp = DecodeAt(staged, pos, &length);
    pos += length;
    if (cp == '.' && previous >= 0x80 && pos < staged.size() &&
        static_cast<unsigned char>(staged[pos]) >= 0x80) {
      cp = 0x00B7;
    }
    if (cp == ' ') {
      std::size_t next_length = 1;
      const char32_t next = pos < staged.size() ? DecodeAt(staged, pos, &next_length) : 0;
      if (previous == 0x00B7 || next == 0x00B7 || next == '.') continue;
    }
    if (cp == 0x00B7 && at != begin && at[-1] == ' ') --at;
    at = cp < 0x10000 ? Put(at, cp) : PutSupplementary(at, cp);
    previous = cp;
  }
  out.resize(std::size_t(at - begin));
  TrimNamePunctuation(out);
}

void NormalizePersonNameReference(std::string_view name, std::string& out) {
  std::string staged;
  std::string dotted;
  if (DotForSpacedParts(name, dotted)) name = dotted;
  NormalizeTextReference(name, staged, TextOptions{.upper_ascii = true});
  out.clear();
  std::size_t pos = 0;
  char32_t previous = 0;
  while (pos < staged.size()) {
    std::size_t length = 0;
    char32_t cp = text::DecodeUtf8(staged, pos, &length);
    pos += length;
    if (cp == '.' && previous >= 0x80 && pos < staged.size() &&
        static_cast<unsigned char>(staged[pos]) >= 0x80) {
      cp = 0x00B7;
    }
    if (cp == ' ') {
      std::size_t next_length = 0;
      const char32_t next = pos < staged.size() ? text::DecodeUtf8(staged, pos, &next_length) : 0;
      if (previous == 0x00B7 || next == 0x00B7 || next == '.') continue;
    }
    if (cp == 0x00B7 && !out.empty() && out.back() == ' ') out.pop_back();
    Append(out, cp);
    previous = cp;
  }
  TrimNamePunctuation(out);
}

std::string NormalizePersonName(std::string_view name) {
  std::string out;
  NormalizePersonName(name, out);
  return out;
}

}  // namespace cg::core
