// Check characters of GB 32100, GB 11714, GB 11643 and GS15 (see check_digits.h).
#include "core/ids/check_digits.h"

#include <array>

namespace cg::core {
namespace {

constexpr std::array<int, 17> kUsccWeights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                              29, 25, 13, 8,  24, 10, 30, 28};
constexpr std::array<int, 8> kOrgWeights = {3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::array<int, 17> kIdWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

int UsccValue(char c) {
  const auto pos = kUsccAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : int(pos);
}

}  // namespace

std::optional<char> UsccCheckChar(std::string_view first17) {
  if (first17.size() != 17) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const int value = UsccValue(first17[i]);
    if (value < 0) return std::nullopt;
    sum += value * kUsccWeights[i];
  }
  return kUsccAlphabet[(31 - sum % 31) % 31];
}

std::optional<char> OrgCodeCheckChar(std::string_view first8) {
  if (first8.size() != 8) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    const char c = first8[i];
    int value;
    if (c >= '0' && c <= '9') {
      value = c - '0';
    } else if (c >= 'A' && c <= 'Z') {
      value = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    sum += value * kOrgWeights[i];
  }
  const int check = 11 - sum % 11;
  return check == 10 ? 'X' : check == 11 ? '0' : char('0' + check);
}

std::optional<char> IdNumberCheckChar(std::string_view first17) {
  if (first17.size() != 17) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) {
    const char c = first17[i];
    if (c < '0' || c > '9') return std::nullopt;
    sum += (c - '0') * kIdWeights[i];
  }
  return "10X98765432"[sum % 11];
}

std::optional<char> RegNoCheckChar(std::string_view first14) {
  if (first14.size() != 14) return std::nullopt;
  int product = 10;
  for (const char c : first14) {
    if (c < '0' || c > '9') return std::nullopt;
    int sum = (product + (c - '0')) % 10;
    if (sum == 0) sum = 10;
    product = (2 * sum) % 11;
  }
  return char('0' + (11 - product) % 10);
}

}  // namespace cg::core
