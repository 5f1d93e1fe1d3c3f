// Name parts for entity resolution (see name_parts.h).
// Jaro–Winkler: W. E. Winkler, "String Comparator Metrics and Enhanced Decision Rules in the
// Fellegi-Sunter Model of Record Linkage", 1990.
#include "core/resolve/name_parts.h"

#include <algorithm>
#include <array>
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

bool EndsWith(std::u32string_view s, std::u32string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool StartsWith(std::u32string_view s, std::u32string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

const std::vector<std::u32string>& LegalForms() {
  static const std::vector<std::u32string> forms = [] {
    std::vector<std::u32string> out;
    for (const char* f : {"股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团公司",
                          "公司", "(有限合伙)", "有限合伙", "普通合伙", "合伙企业",
                          "个人独资企业", "农民专业合作社", "专业合作社", "合作社"}) {
      out.push_back(U(f));
    }
    return out;
  }();
  return forms;
}

const std::vector<std::u32string>& BranchMarkers() {
  static const std::vector<std::u32string> markers = [] {
    std::vector<std::u32string> out;
    for (const char* f : {"分公司", "分店", "分厂", "分行", "支行", "营业部", "办事处", "分部",
                          "分所", "分社", "分中心", "分理处", "营业所", "分院"}) {
      out.push_back(U(f));
    }
    return out;
  }();
  return markers;
}

const std::vector<std::u32string>& Provinces() {
  static const std::vector<std::u32string> provinces = [] {
    std::vector<std::u32string> out;
    for (const char* f :
         {"内蒙古自治区", "广西壮族自治区", "宁夏回族自治区", "新疆维吾尔自治区", "西藏自治区",
          "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省",
          "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省",
          "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省",
          "甘肃省", "青海省", "台湾省", "内蒙古", "黑龙江", "北京", "天津", "上海", "重庆",
          "河北", "山西", "辽宁", "吉林", "江苏", "浙江", "安徽", "福建", "江西", "山东",
          "河南", "湖北", "湖南", "广东", "广西", "海南", "四川", "贵州", "云南", "西藏",
          "陕西", "甘肃", "青海", "宁夏", "新疆"}) {
      out.push_back(U(f));
    }
    return out;
  }();
  return provinces;
}

// Strips trailing legal forms (repeatedly, longest first).
std::u32string StripForms(std::u32string s) {
  bool changed = true;
  while (changed && !s.empty()) {
    changed = false;
    for (const auto& form : LegalForms()) {
      if (EndsWith(s, form)) {
        s.resize(s.size() - form.size());
        changed = true;
        break;
      }
    }
  }
  return s;
}

std::u32string DropBrackets(std::u32string_view s) {
  std::u32string out;
  int depth = 0;
  for (char32_t c : s) {
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth > 0) --depth;
    } else if (depth == 0) {
      out.push_back(c);
    }
  }
  return out;
}

// Strips a province and up to two 市/区/县/州/旗 segments from the front while at least two
// code points of core remain.
std::u32string StripRegion(std::u32string s, std::u32string* stripped) {
  auto core_len = [](const std::u32string& rest) { return StripForms(rest).size(); };
  for (const auto& province : Provinces()) {
    if (StartsWith(s, province) && core_len(s.substr(province.size())) >= 2) {
      stripped->append(province);
      s.erase(0, province.size());
      break;
    }
  }
  static const std::u32string suffixes = U("市区县州旗");
  for (int segment = 0; segment < 2; ++segment) {
    bool cut = false;
    for (std::size_t len = 3; len >= 2; --len) {  // segment = len code points + suffix
      if (s.size() > len && suffixes.find(s[len]) != std::u32string::npos &&
          core_len(s.substr(len + 1)) >= 2) {
        stripped->append(s.substr(0, len + 1));
        s.erase(0, len + 1);
        cut = true;
        break;
      }
    }
    if (!cut) break;
  }
  return s;
}

}  // namespace

std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {
      out.push_back(byte);
      ++pos;
      continue;
    }
    int extra = (byte >> 5) == 6 ? 1 : (byte >> 4) == 14 ? 2 : (byte >> 3) == 30 ? 3 : -1;
    if (extra < 0 || pos + extra >= text.size()) {
      out.push_back(0xFFFD);
      ++pos;
      continue;
    }
    char32_t cp = byte & (extra == 1 ? 0x1F : extra == 2 ? 0x0F : 0x07);
    bool ok = true;
    for (int k = 1; k <= extra; ++k) {
      auto next = static_cast<unsigned char>(text[pos + k]);
      if ((next >> 6) != 2) ok = false;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++pos;
      continue;
    }
    out.push_back(cp);
    pos += extra + 1;
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

OrgNameParts SplitOrgName(std::string_view name) {
  OrgNameParts parts;
  std::u32string folded = FoldName(DecodeUtf8(name));
  parts.folded = EncodeUtf8(folded);
  // Branch marker at the end, possibly inside a trailing bracket.
  std::u32string body = folded;
  if (!body.empty() && body.back() == ')') {
    auto open = body.rfind(U'(');
    if (open != std::u32string::npos) {
      std::u32string inner = body.substr(open + 1, body.size() - open - 2);
      for (const auto& marker : BranchMarkers()) {
        if (EndsWith(inner, marker)) {
          body = body.substr(0, open) + inner;
          break;
        }
      }
    }
  }
  std::u32string parent = body;
  std::u32string label;
  for (const auto& marker : BranchMarkers()) {
    if (EndsWith(body, marker) && body.size() > marker.size()) {
      parts.branch = true;
      std::u32string before = body.substr(0, body.size() - marker.size());
      // The parent ends at the last legal form inside `before`.
      std::size_t best_end = 0;
      for (const auto& form : LegalForms()) {
        auto at = before.rfind(form);
        if (at != std::u32string::npos) best_end = std::max(best_end, at + form.size());
      }
      if (best_end > 0) {
        parent = before.substr(0, best_end);
        label = before.substr(best_end);
      } else {
        parent = before;
      }
      label += marker;
      break;
    }
  }
  std::u32string stripped;
  std::u32string core = StripForms(StripRegion(DropBrackets(parent), &stripped));
  parts.region_prefix = EncodeUtf8(stripped);
  parts.trade = EncodeUtf8(core.substr(0, std::min<std::size_t>(2, core.size())));
  if (parts.branch) {
    std::u32string label_stripped;
    std::u32string label_core = DropBrackets(label);
    core += U'|';
    core += label_core;
  }
  parts.core = EncodeUtf8(core);
  return parts;
}

std::string FoldPersonName(std::string_view name) {
  return EncodeUtf8(FoldName(DecodeUtf8(name)));
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
  std::vector<char> a_match(a.size(), 0), b_match(b.size(), 0);
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
  std::vector<std::u32string_view> grams_a, grams_b;
  for (std::size_t i = 0; i + 1 < a.size(); ++i) grams_a.push_back(a.substr(i, 2));
  for (std::size_t i = 0; i + 1 < b.size(); ++i) grams_b.push_back(b.substr(i, 2));
  std::sort(grams_a.begin(), grams_a.end());
  std::sort(grams_b.begin(), grams_b.end());
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

int Hamming(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return -1;
  int diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff += a[i] != b[i];
  return diff;
}

}  // namespace cg::core::resolve
