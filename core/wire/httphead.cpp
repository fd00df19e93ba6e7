#include "httphead.h"

namespace wsprobe::httphead {

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

QByteArrayView trimmedOws(QByteArrayView value)
{
    while (!value.isEmpty() && (value.front() == ' ' || value.front() == '\t'))
        value = value.sliced(1);
    while (!value.isEmpty() && (value.back() == ' ' || value.back() == '\t'))
        value.chop(1);
    return value;
}

bool hasLineBreak(QByteArrayView bytes)
{
    return bytes.contains('\r') || bytes.contains('\n');
}

QList<QByteArrayView> lines(QByteArrayView head)
{
    QList<QByteArrayView> found;
    qsizetype start = 0;
    while (start < head.size()) {
        const qsizetype newline = head.indexOf('\n', start);
        QByteArrayView line = head.sliced(start, newline - start);
        if (line.endsWith('\r'))
            line.chop(1);
        found.append(line);
        start = newline + 1;
    }
    if (!found.isEmpty())
        found.removeLast();  // the empty line
    return found;
}

} // namespace wsprobe::httphead
