#pragma once

#include <QString>

namespace wsprobe {

// What one matcher says about one event: enough for a failing run to show expected against
// actual, and to say why they differ.
struct MatchResult
{
    bool matched = false;
    QString expected;     // what the matcher wants, e.g. `"pong"` or `/user/id = 42`
    QString actual;       // the same aspect of the event, e.g. `"ping"` or `/user/id = 41`
    QString explanation;  // why it did not match; empty when it matched

    static MatchResult pass(QString expected, QString actual)
    {
        return {true, std::move(expected), std::move(actual), QString()};
    }
    static MatchResult fail(QString expected, QString actual, QString explanation)
    {
        return {false, std::move(expected), std::move(actual), std::move(explanation)};
    }

    friend bool operator==(const MatchResult &, const MatchResult &) = default;
};

} // namespace wsprobe
