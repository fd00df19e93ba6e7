#include "delimitedtext.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe::DelimitedText {

QString quoted(const QString &field, QChar separator)
{
    const bool plain = std::none_of(field.cbegin(), field.cend(), [separator](QChar c) {
        return c == separator || c == u'"' || c == u'\n' || c == u'\r';
    });
    if (plain)
        return field;
    QString text = field;
    text.replace(u'"', u"\"\""_s);
    return u'"' + text + u'"';
}

} // namespace wsprobe::DelimitedText
