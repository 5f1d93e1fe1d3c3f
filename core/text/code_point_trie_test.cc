// CodePointTrie against brute force: random dictionaries of short words (ASCII, two-, three- and
// four-byte characters, several values per word) matched as prefixes and suffixes of random
// texts, with ill-formed bytes around the words.
#include "core/text/code_point_trie.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace cg::core {
namespace {

using Matches = std::vector<std::pair<std::size_t, std::uint32_t>>;

// Every (word, value) whose word is a prefix (or suffix) of `text` byte for byte, shortest first,
// values of one word in insertion order.
Matches BruteForce(const std::vector<std::pair<std::string, std::uint32_t>>& words,
                   std::string_view text, bool forward) {
  Matches out;
  for (const auto& [word, value] : words) {
    if (word.empty() || word.size() > text.size()) continue;
    if (forward ? text.starts_with(word) : text.ends_with(word)) out.emplace_back(word.size(), value);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  return out;
}

TEST(CodePointTrie, MatchesEqualBruteForce) {
  const std::vector<std::string> alphabet = {"a", "b", "Z", "\u00B7", "\u00E9", "\u516C", "\u53F8",
                                             "\u6709", "\u9650", "\U00020000"};
  const std::vector<std::string> garbage = {"\x80", "\xBF", "\xE4\xB8", "\xFF", "\xC3", "\xF0\x9F"};
  std::mt19937_64 rng(11);
  for (int round = 0; round < 60; ++round) {
    for (const bool forward : {true, false}) {
      CodePointTrie trie(forward ? CodePointTrie::Direction::kForward : CodePointTrie::Direction::kBackward);
      std::vector<std::pair<std::string, std::uint32_t>> words;
      const int count = 1 + int(rng() % (round < 30 ? 8 : 400));  // small, and large enough to rehash
      for (int w = 0; w < count; ++w) {
        std::string word;
        const int length = 1 + int(rng() % 4);
        for (int k = 0; k < length; ++k) word += alphabet[rng() % alphabet.size()];
        if (!words.empty() && rng() % 5 == 0) word = words[rng() % words.size()].first;  // a 2nd value
        const auto value = static_cast<std::uint32_t>(rng() % 1000);
        words.emplace_back(word, value);
        trie.Insert(word, value);
      }
      for (int t = 0; t < 200; ++t) {
        std::string text;
        const int length = int(rng() % 7);
        for (int k = 0; k < length; ++k) {
          text += rng() % 6 == 0 ? garbage[rng() % garbage.size()] : alphabet[rng() % alphabet.size()];
        }
        // Half the texts built around a word, so that matches are frequent.
        if (rng() % 2 == 0) {
          const std::string& word = words[rng() % words.size()].first;
          text = forward ? word + text : text + word;
        }
        Matches got;
        trie.ForEachMatch(text, [&](std::size_t bytes, std::uint32_t value) { got.emplace_back(bytes, value); });
        const Matches expected = BruteForce(words, text, forward);
        ASSERT_EQ(got, expected) << text << " forward " << forward << " round " << round;
        std::uint32_t value = 0;
        const std::size_t longest = trie.Longest(text, &value);
        if (expected.empty()) {
          EXPECT_EQ(longest, 0u);
        } else {
          const std::size_t best = expected.back().first;
          EXPECT_EQ(longest, best);
          // the first value of the longest word
          const auto first = std::find_if(expected.begin(), expected.end(),
                                          [&](const auto& match) { return match.first == best; });
          EXPECT_EQ(value, first->second);
        }
      }
    }
  }
}

TEST(CodePointTrie, EmptyTrieAndEmptyText) {
  CodePointTrie trie(CodePointTrie::Direction::kForward);
  EXPECT_EQ(trie.Longest("abc"), 0u);
  trie.Insert("ab", 1);
  EXPECT_EQ(trie.Longest(""), 0u);
  EXPECT_EQ(trie.Longest("a"), 0u);
  EXPECT_EQ(trie.Longest("abc"), 2u);
}

}  // namespace
}  // namespace cg::core
