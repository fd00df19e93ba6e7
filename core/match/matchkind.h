#pragma once

namespace wsprobe {

// The kinds of Matcher, for code that shows or sorts them.
enum class MatchKind {
    TextEquals,
    TextContains,
    TextMatches,
    JsonEquals,
    JsonSubset,
    PointerEquals,
    PointerExists,
    PointerAbsent,
    JsonSchema,
    BinaryEquals,
    BinaryBase64,
    Size,
    Close,
    AnyMessage,
    AllOf,
    AnyOf,
    Not,
};

} // namespace wsprobe
