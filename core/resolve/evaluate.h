// Accuracy of a clustering against ground truth: pairwise precision/recall/F1 (pairs of
// mentions in the same predicted and the same true entity) and B-cubed (Bagga & Baldwin 1998),
// from the contingency table of (predicted, true) labels in O(n log n).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cg::core::resolve {

struct ClusterScores {
  std::uint64_t mentions = 0;
  double true_pairs = 0, predicted_pairs = 0, correct_pairs = 0;
  double precision = 1, recall = 1, f1 = 1;
  double bcubed_precision = 1, bcubed_recall = 1, bcubed_f1 = 1;
};

/// predicted[i] and truth[i] are the labels of mention i.
ClusterScores ScoreClustering(const std::vector<std::string>& predicted,
                              const std::vector<std::string>& truth);

}  // namespace cg::core::resolve
