// Pairwise and B-cubed scores (see evaluate.h).
#include "core/resolve/evaluate.h"

#include <absl/container/flat_hash_map.h>

#include <cassert>
#include <utility>

namespace cg::core::resolve {

ClusterScores ScoreClustering(const std::vector<std::string>& predicted,
                              const std::vector<std::string>& truth) {
  assert(predicted.size() == truth.size());
  ClusterScores scores;
  scores.mentions = predicted.size();
  absl::flat_hash_map<std::string, double> predicted_size, true_size;
  absl::flat_hash_map<std::pair<std::string, std::string>, double> both;
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    predicted_size[predicted[i]] += 1;
    true_size[truth[i]] += 1;
    both[{predicted[i], truth[i]}] += 1;
  }
  auto pairs = [](double n) { return n * (n - 1) / 2; };
  for (const auto& [label, n] : predicted_size) scores.predicted_pairs += pairs(n);
  for (const auto& [label, n] : true_size) scores.true_pairs += pairs(n);
  double bcubed_p = 0, bcubed_r = 0;
  for (const auto& [labels, n] : both) {
    scores.correct_pairs += pairs(n);
    bcubed_p += n * n / predicted_size[labels.first];
    bcubed_r += n * n / true_size[labels.second];
  }
  auto f1 = [](double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0.0; };
  if (scores.predicted_pairs > 0) scores.precision = scores.correct_pairs / scores.predicted_pairs;
  if (scores.true_pairs > 0) scores.recall = scores.correct_pairs / scores.true_pairs;
  scores.f1 = f1(scores.precision, scores.recall);
  if (scores.mentions > 0) {
    scores.bcubed_precision = bcubed_p / static_cast<double>(scores.mentions);
    scores.bcubed_recall = bcubed_r / static_cast<double>(scores.mentions);
  }
  scores.bcubed_f1 = f1(scores.bcubed_precision, scores.bcubed_recall);
  return scores;
}

}  // namespace cg::core::resolve
