// Text normalization: NFKC, Traditional → Simplified, brackets, punctuation, spaces; the fast
// table path compared with the plain ICU reference (NFKC then the transliterator).
#include "core/text/normalize.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

namespace cg::core {
namespace {

TEST(NormalizeText, FullWidthToHalfWidth) {
  EXPECT_EQ(NormalizeText("ＡＢＣ１２３"), "ABC123");
  EXPECT_EQ(NormalizeText("ＡＢＣ１２３", TextOptions{.upper_ascii = true}), "ABC123");
  EXPECT_EQ(NormalizeText("ａｂｃ", TextOptions{.upper_ascii = true}), "ABC");
  EXPECT_EQ(NormalizeText("abc"), "abc");
}

TEST(NormalizeText, Brackets) {
  EXPECT_EQ(NormalizeText("鑫源（淄博）商贸"), "鑫源(淄博)商贸");
  EXPECT_EQ(NormalizeText("鑫源【淄博】商贸"), "鑫源(淄博)商贸");
  EXPECT_EQ(NormalizeText("鑫源〔淄博〕商贸"), "鑫源(淄博)商贸");
  EXPECT_EQ(NormalizeText("鑫源［淄博］商贸"), "鑫源(淄博)商贸");
  EXPECT_EQ(NormalizeText("鑫源[淄博]{x}"), "鑫源(淄博)(x)");
}

TEST(NormalizeText, TraditionalToSimplified) {
  EXPECT_EQ(NormalizeText("臺灣機械製造有限公司"), "台湾机械制造有限公司");
  EXPECT_EQ(NormalizeText("濟南華為技術"), "济南华为技术");
  // Compatibility ideograph (U+F900 block) → unified, then simplified if needed.
  EXPECT_EQ(NormalizeText("\uF900"), TraditionalToSimplifiedIcu(NfkcIcu("\uF900")));
  EXPECT_EQ(NormalizeText("\uF900"), "岂");
}

TEST(NormalizeText, PunctuationAndQuotes) {
  EXPECT_EQ(NormalizeText("“鑫源”商贸"), "鑫源商贸");
  EXPECT_EQ(NormalizeText("「鑫源」"), "鑫源");
  EXPECT_EQ(NormalizeText("甲，乙、丙"), "甲,乙,丙");
  EXPECT_EQ(NormalizeText("A—B–C－D"), "A-B-C-D");
  EXPECT_EQ(NormalizeText("艾力•买买提"), "艾力·买买提");
  EXPECT_EQ(NormalizeText("艾力・买买提"), "艾力·买买提");
}

TEST(NormalizeText, Whitespace) {
  EXPECT_EQ(NormalizeText("  山东 鲁能\t集团  "), "山东鲁能集团");
  EXPECT_EQ(NormalizeText("山东\u3000鲁能"), "山东鲁能");
  EXPECT_EQ(NormalizeText("ABC   Trading  Co"), "ABC Trading Co");
  EXPECT_EQ(NormalizeText("ABC 科技"), "ABC科技");
  EXPECT_EQ(NormalizeText("Haier Co. ,  Ltd."), "Haier Co. , Ltd.");
  EXPECT_EQ(NormalizeText("ABC Trading", TextOptions{.drop_all_spaces = true}), "ABCTrading");
  EXPECT_EQ(NormalizeText("   "), "");
  EXPECT_EQ(NormalizeText(""), "");
  EXPECT_EQ(NormalizeText("a\u200Bb"), "ab");
}

TEST(NormalizeText, SlowPathCases) {
  // ㈱ decomposes to several code points; a combining accent composes with its base.
  EXPECT_EQ(NormalizeText("㈱鑫源"), "(株)鑫源");
  EXPECT_EQ(NormalizeText("Cafe\u0301"), "Caf\u00E9");
  // Outside the BMP: CJK Extension B passes through; mathematical bold A becomes A.
  EXPECT_EQ(NormalizeText("\U0001D400B"), "AB");
  EXPECT_EQ(NormalizeText("\U00020000"), "\U00020000");
}

// The reference: ICU NFKC, then ICU's transliterator, then the same punctuation rules applied
// to the result. We compare the fast path against NFKC + transliteration on texts without the
// punctuation and space characters that the later rules change.
TEST(NormalizeText, FastPathAgreesWithIcuReference) {
  std::mt19937_64 rng(1);
  std::vector<char32_t> pool;
  for (char32_t cp = 0x4E00; cp <= 0x9FA5; cp += 7) pool.push_back(cp);  // Han, many traditional
  for (char32_t cp : U"臺灣機械製造華為濟龍門鳳廣東體")
    if (cp) pool.push_back(cp);
  for (char32_t cp = 0xFF10; cp <= 0xFF19; ++cp) pool.push_back(cp);  // full-width digits
  for (char32_t cp = 0xFF21; cp <= 0xFF3A; ++cp) pool.push_back(cp);  // full-width capitals
  for (char32_t cp = 'A'; cp <= 'Z'; ++cp) pool.push_back(cp);
  for (char32_t cp = 0xF900; cp <= 0xF9FF; cp += 5) pool.push_back(cp);  // compat ideographs
  auto encode = [](char32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  };
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    const int length = 1 + int(rng() % 20);
    for (int k = 0; k < length; ++k) encode(pool[rng() % pool.size()], text);
    EXPECT_EQ(NormalizeText(text), TraditionalToSimplifiedIcu(NfkcIcu(text))) << text;
  }
}

// The one-pass fast path (decoding inline, writing through a pointer, leaving for ICU at the
// first code point the table cannot take) against the two-pass reference, on random byte strings
// drawn from every kind of piece the passes treat apart: ASCII words, punctuation and spaces,
// two- and three-byte characters (Latin-1, middle dots, brackets, full-width forms, traditional
// and compatibility ideographs), characters that need ICU (㈱, a combining accent), four-byte
// characters, and ill-formed UTF-8 (stray continuation bytes, truncated, overlong and surrogate
// sequences).
TEST(NormalizeText, OnePassEqualsReferenceOnRandomBytes) {
  const std::vector<std::string> pieces = {
      "a", "Z", "7", " ", "  ", "\t", ".", ",", "-", "(", "]", "'", "\"", "Co., Ltd", "&",
      "\u00A0", "\u00B7", "\u00E9", "\u00B5", "\u00AD", "\u0387", "\u0301", "\u3000", "\u3001",
      "\u3002", "\u2022", "\u30FB", "\u2014", "\u201C", "\u300C", "\u3010", "\u200B", "\uFF08",
      "\uFF21", "\uFF41", "\uFF10", "\uFF0E", "\u3231", "\uF900", "\uFA0E", "\u9F8D", "\u6A5F",
      "\u673A", "\u516C", "\u53F8", "\u2160", "\uFFFD", "\U0001D400", "\U00020000",
      "\x80", "\xBF", "\xC0\xAF", "\xC3", "\xE4\xB8", "\xE0\x80\x80", "\xED\xA0\x80", "\xF0\x9F",
      "\xF4\x90\x80\x80", "\xFF", "\xC2\xB7", "\xE6\x9C"};
  std::mt19937_64 rng(5);
  std::string fast, reference;
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int count = int(rng() % 12);
    for (int k = 0; k < count; ++k) text += pieces[rng() % pieces.size()];
    for (const bool upper : {false, true}) {
      for (const bool drop : {false, true}) {
        const TextOptions options{.upper_ascii = upper, .drop_all_spaces = drop};
        NormalizeText(text, fast, options);
        NormalizeTextReference(text, reference, options);
        ASSERT_EQ(fast, reference) << text << " upper " << upper << " drop " << drop;
      }
    }
    NormalizePersonName(text, fast);
    NormalizePersonNameReference(text, reference);
    ASSERT_EQ(fast, reference) << text;
  }
}

TEST(NormalizeText, ThreadSafe) {
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &failures] {
      for (int i = 0; i < 200; ++i) {
        if (NormalizeText("臺灣（機械）製造") != "台湾(机械)制造") ++failures[t];
        if (TraditionalToSimplifiedIcu("機械") != "机械") ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int failure_count : failures) EXPECT_EQ(failure_count, 0);
}

// Second generality sweep (docs/sweep2.md): a transliterated name of an ethnic minority written
// with a space between its parts (努尔兰 热合曼) is the name written with the dot; a Han name with
// spaces (张 三, 欧阳 娜娜, 司 徒 鹏 明) only loses them.
TEST(NormalizePersonName, SpaceBetweenPartsOfATransliteratedName) {
  EXPECT_EQ(NormalizePersonName("努尔兰 热合曼"), "努尔兰·热合曼");
  EXPECT_EQ(NormalizePersonName("古丽娜尔　阿不都拉"), "古丽娜尔·阿不都拉");
  EXPECT_EQ(NormalizePersonName("买买提  艾力"), "买买提·艾力");
  EXPECT_EQ(NormalizePersonName("阿不都 热合曼 买买提"), "阿不都·热合曼·买买提");
  EXPECT_EQ(NormalizePersonName("欧阳 娜娜"), "欧阳娜娜");
  EXPECT_EQ(NormalizePersonName("司 徒 鹏 明"), "司徒鹏明");
  EXPECT_EQ(NormalizePersonName("阿里 木"), "阿里木");
  EXPECT_EQ(NormalizePersonName("John Smith"), "JOHN SMITH");
  for (const char* name : {"努尔兰 热合曼", "古丽娜尔　阿不都拉", "欧阳 娜娜", "阿不都 热合曼 买买提"}) {
    std::string fast, reference;
    NormalizePersonName(name, fast);
    NormalizePersonNameReference(name, reference);
    EXPECT_EQ(fast, reference) << name;
  }
}

TEST(NormalizePersonName, PunctuationAtTheEnds) {
  for (const char* name : {"张伟，", "张伟。", "张伟*", "张伟;", "，张伟", "张伟（）"}) {
    EXPECT_EQ(NormalizePersonName(name), "张伟") << name;
    std::string fast, reference;
    NormalizePersonName(name, fast);
    NormalizePersonNameReference(name, reference);
    EXPECT_EQ(fast, reference) << name;
  }
  EXPECT_EQ(NormalizePersonName("J.R. Smith."), "J.R. SMITH.");
}

TEST(NormalizePersonName, DotsAndSpaces) {
  EXPECT_EQ(NormalizePersonName("艾力·买买提"), "艾力·买买提");
  EXPECT_EQ(NormalizePersonName("艾力•买买提"), "艾力·买买提");
  EXPECT_EQ(NormalizePersonName("艾力.买买提"), "艾力·买买提");
  EXPECT_EQ(NormalizePersonName("艾力・买买提"), "艾力·买买提");
  EXPECT_EQ(NormalizePersonName("艾力 · 买买提"), "艾力·买买提");
  EXPECT_EQ(NormalizePersonName("张 三"), "张三");
  EXPECT_EQ(NormalizePersonName(" 張三 "), "张三");
  EXPECT_EQ(NormalizePersonName("John  Smith"), "JOHN SMITH");
  EXPECT_EQ(NormalizePersonName("J.R. Smith"), "J.R. SMITH");
}

}  // namespace
}  // namespace cg::core
