#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace wsprobe {

// Finds what a misspelt name was meant to be, for "did you mean ...?" hints.
namespace DidYouMean {

inline constexpr int MaxDistance = 2;

// Edits (insert, delete, substitute, swap two neighbours) between a and b, ignoring case.
int editDistance(QStringView a, QStringView b);
// The candidate closest to word: at most MaxDistance edits away and fewer edits than word has
// characters (so "x" suggests nothing but "X"). Ties go to the earlier candidate.
std::optional<QString> closest(QStringView word, const QStringList &candidates);

} // namespace DidYouMean
} // namespace wsprobe
