#include "didyoumean.h"

#include <algorithm>
#include <vector>

namespace wsprobe::DidYouMean {

int editDistance(QStringView a, QStringView b)
{
    const QString x = a.toString().toCaseFolded();
    const QString y = b.toString().toCaseFolded();
    const qsizetype n = x.size();
    const qsizetype m = y.size();
    // Optimal string alignment: Levenshtein plus adjacent swaps ("tiemout"), three rows.
    std::vector<int> before(m + 1), previous(m + 1), current(m + 1);
    for (qsizetype j = 0; j <= m; ++j)
        previous[j] = int(j);
    for (qsizetype i = 1; i <= n; ++i) {
        current[0] = int(i);
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = x[i - 1] == y[j - 1] ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1])
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[m];
}

std::optional<QString> closest(QStringView word, const QStringList &candidates)
{
    std::optional<QString> best;
    int bestDistance = MaxDistance + 1;
    for (const QString &candidate : candidates) {
        // More than MaxDistance characters apart in length is more than MaxDistance edits.
        if (qAbs(candidate.size() - word.size()) > MaxDistance)
            continue;
        const int distance = editDistance(word, candidate);
        if (distance < bestDistance && distance < word.size()) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

} // namespace wsprobe::DidYouMean
