// Name parts for entity resolution (see name_parts.h).
// Jaro–Winkler: W. E. Winkler, "String Comparator Metrics and Enhanced Decision Rules in the
// Fellegi-Sunter Model of Record Linkage", 1990.
#include "core/resolve/name_parts.h"

#include <absl/container/inlined_vector.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace cg::core::resolve {
namespace {

bool IsPunct(char32_t c) {
  if (c < 0x80) {
    return !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
             c == '(' || c == ')');
  }
  if (c >= 0x3000 && c <= 0x303F) return true;   // CJK symbols and punctuation
  if (c >= 0x2000 && c <= 0x206F) return true;   // general punctuation
  if (c == 0x00B7 || c == 0x30FB) return true;   // middle dots
  if (c >= 0xFE30 && c <= 0xFE4F) return true;   // CJK compatibility forms
  return false;
}

std::u32string U(std::string_view s) { return DecodeUtf8(s); }


}  // namespace

std::size_t NextCodePoint(std::string_view text, std::size_t pos, char32_t* out) {
  auto byte = static_cast<unsigned char>(text[pos]);
  if (byte < 0x80) {
    *out = byte;
    return pos + 1;
  }
  int extra = (byte >> 5) == 6 ? 1 : (byte >> 4) == 14 ? 2 : (byte >> 3) == 30 ? 3 : -1;
  if (extra < 0 || pos + extra >= text.size()) {
    *out = 0xFFFD;
    return pos + 1;
  }
  char32_t cp = byte & (extra == 1 ? 0x1F : extra == 2 ? 0x0F : 0x07);
  for (int k = 1; k <= extra; ++k) {
    auto next = static_cast<unsigned char>(text[pos + k]);
    if ((next >> 6) != 2) {
      *out = 0xFFFD;
      return pos + 1;
    }
    cp = (cp << 6) | (next & 0x3F);
  }
  *out = cp;
  return pos + extra + 1;
}

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp;
    pos = NextCodePoint(text, pos, &cp);
    out.push_back(cp);
  }
  return out;
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t cp : text) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

std::u32string FoldName(std::u32string_view name) {
  std::u32string out;
  out.reserve(name.size());
  for (char32_t c : name) {
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;  // full-width ASCII
    if (c == 0x3000) c = ' ';
    if (c == 0x3014 || c == 0x3010 || c == '[' || c == '{') c = '(';
    if (c == 0x3015 || c == 0x3011 || c == ']' || c == '}') c = ')';
    if (c >= 'a' && c <= 'z') c = c - 'a' + 'A';
    if (IsPunct(c)) continue;
    out.push_back(c);
  }
  return out;
}

bool LooksLikeOrganization(std::string_view name) {
  std::u32string folded = FoldName(DecodeUtf8(name));
  if (folded.size() > 4) return true;
  static const std::u32string org_chars = U("司厂店社局院所会部行馆中心站场队");
  for (char32_t c : folded) {
    if (org_chars.find(c) != std::u32string::npos) return true;
    if (c < 0x80) return true;  // Latin letters or digits: not a Chinese person name
  }
  return false;
}

double JaroWinkler(std::u32string_view a, std::u32string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const std::size_t window = std::max<std::size_t>(1, std::max(a.size(), b.size()) / 2) - 1;
  absl::InlinedVector<char, 64> a_match(a.size(), 0), b_match(b.size(), 0);
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::size_t lo = i > window ? i - window : 0;
    std::size_t hi = std::min(b.size(), i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!b_match[j] && a[i] == b[j]) {
        a_match[i] = b_match[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  for (std::size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_match[i]) continue;
    while (!b_match[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  double jaro = (m / a.size() + m / b.size() + (m - transpositions / 2.0) / m) / 3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1.0 - jaro);
}

double BigramDice(std::u32string_view a, std::u32string_view b) {
  if (a.size() < 2 || b.size() < 2) return a == b ? 1.0 : 0.0;
  // A bigram as one 64-bit number (code points fit in 21 bits): no allocation for short names.
  auto grams = [](std::u32string_view text) {
    absl::InlinedVector<std::uint64_t, 48> out;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
      out.push_back((static_cast<std::uint64_t>(text[i]) << 32) | static_cast<std::uint64_t>(text[i + 1]));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const auto grams_a = grams(a), grams_b = grams(b);
  std::size_t common = 0;
  for (std::size_t i = 0, j = 0; i < grams_a.size() && j < grams_b.size();) {
    if (grams_a[i] == grams_b[j]) {
      ++common, ++i, ++j;
    } else if (grams_a[i] < grams_b[j]) {
      ++i;
    } else {
      ++j;
    }
  }
  return 2.0 * common / (grams_a.size() + grams_b.size());
}

CodePoints::CodePoints(std::string_view text) {
  if (text.size() > kInline) {
    heap_ = DecodeUtf8(text);
    view_ = heap_;
    return;
  }
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t next = NextCodePoint(text, pos, &inline_[count]);
    ++count;
    pos = next;
  }
  view_ = std::u32string_view(inline_, count);
}

int Hamming(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return -1;
  int diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff += a[i] != b[i];
  return diff;
}

}  // namespace cg::core::resolve
