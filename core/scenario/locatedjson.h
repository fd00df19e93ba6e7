#pragma once

#include "jsonerror.h"
#include "locatedvalue.h"

#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <optional>

namespace wsprobe {

// A strict RFC 8259 JSON reader for hand-written files: it keeps the position of every value
// and key, and says where a broken file breaks and what was expected there. Duplicate keys,
// comments, trailing commas, NaN and nesting deeper than MaxDepth are errors. Any top-level
// value is accepted; callers that need an object say so (see ObjectReader).
namespace LocatedJson {

inline constexpr int MaxDepth = 256;

// Each function returns the value, or nothing and fills *error (if given) with the first problem.
// A leading byte-order mark is skipped and takes no column.
std::optional<LocatedValue> parse(QStringView text, const QString &fileName, JsonError *error);
// Checks that data is UTF-8 first: invalid bytes are reported where they are.
std::optional<LocatedValue> parseUtf8(QByteArrayView data, const QString &fileName,
                                      JsonError *error);
// Names the file in errors by filePath as given. Read through InputFileReader: regular files
// up to its cap only.
std::optional<LocatedValue> parseFile(const QString &filePath, JsonError *error);

// The position of text[offset] (offset may be text.size(), the end).
SourceLocation locate(QStringView text, qsizetype offset);

} // namespace LocatedJson
} // namespace wsprobe
