// Text normalization for names (organizations and persons), with ICU:
//   1. NFKC (full-width → half-width, compatibility ideographs → unified ones);
//   2. Traditional → Simplified Chinese (ICU's "Traditional-Simplified" transliterator);
//   3. brackets （）【】〔〕［］｛｝〖〗[]{} → ( ), dashes → '-', quotes dropped, ，、→ ',', middle
//      dots · • ・ ‧ ∙ ⋅ → '·' (U+00B7);
//   4. whitespace: runs collapse, ends trimmed, and a space survives only between two printable
//      ASCII characters ("ABC Trading", "Co., Ltd" keep it; "山东 鲁能", "ABC 科技" lose it);
//   5. optionally ASCII letters upper-cased.
// Speed: ICU is only called where it matters. A per-code-point table for the Basic Multilingual
// Plane (built once, lazily, thread-safely, from ICU: NFKC inertness and the transliterator's
// single-character mappings) handles the common case; a string with a character that is not
// NFKC-inert goes through ICU's NFKC normalizer (thread-safe singleton), and characters outside
// the BMP through a per-thread clone of the cached transliterator.
// Rules and figures: docs/names.md.
#pragma once

#include <string>
#include <string_view>

namespace cg::core {

struct TextOptions {
  bool upper_ascii = false;      ///< upper-case ASCII letters
  bool drop_all_spaces = false;  ///< remove every space, even between ASCII words
};

/// Normalizes `text` (UTF-8) into `out` (cleared first; its capacity is reused).
void NormalizeText(std::string_view text, std::string& out, const TextOptions& options = {});
/// Convenience form that returns a new string.
std::string NormalizeText(std::string_view text, const TextOptions& options = {});
/// The slow, obvious two-pass form of NormalizeText (the whole text checked against the table,
/// then mapped code point by code point into a growing string): the reference the one-pass fast
/// path is tested against. Same result for every input, valid UTF-8 or not.
void NormalizeTextReference(std::string_view text, std::string& out, const TextOptions& options = {});

/// Punctuation a department leaves at the ends of a name ("济南鑫源商贸有限公司。", "张伟，", "…有限公司（）"),
/// on NormalizeText's output: ',', ';', ':', '!', '?', '*', '#', spaces and empty brackets at the
/// end, and '.' at the end unless after an ASCII letter or digit (CO.,LTD., J.R. keep it); the
/// same at the start except brackets. In place.
void TrimNamePunctuation(std::string& name);

/// A person's name: NormalizeText with ASCII upper-cased, middle dots unified to '·' (also '.'
/// between letters: "艾力.买买提" → "艾力·买买提"), spaces around dots removed, and spaces between
/// Chinese characters removed ("张 三" → "张三"). Latin names keep one space between words.
void NormalizePersonName(std::string_view name, std::string& out);
std::string NormalizePersonName(std::string_view name);
/// The slow, obvious form of NormalizePersonName (over NormalizeTextReference, into a growing
/// string): the reference for the tests.
void NormalizePersonNameReference(std::string_view name, std::string& out);

/// Traditional → Simplified with ICU's transliterator on the whole string (per-thread clone of a
/// cached instance). The reference the fast table is tested against; slow (microseconds).
std::string TraditionalToSimplifiedIcu(std::string_view text);
/// NFKC of a UTF-8 string with ICU (the reference for the fast path; also used by it).
std::string NfkcIcu(std::string_view text);

}  // namespace cg::core
