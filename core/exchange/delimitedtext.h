#pragma once

#include <QString>

namespace wsprobe {

// Fields of delimited text (CSV, or the tab-separated rows a copy puts on the clipboard), quoted
// as RFC 4180 says: a field holding the separator, a quote or a line break is put in quotes,
// with its quotes doubled; any other field is written as it is.
namespace DelimitedText {

QString quoted(const QString &field, QChar separator);

} // namespace DelimitedText
} // namespace wsprobe
