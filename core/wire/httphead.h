#pragma once

#include <QByteArrayView>
#include <QList>

namespace wsprobe::httphead {

// What both sides of the opening handshake read an HTTP head with (RFC 9110, RFC 9112).

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b);
// A header value without the optional whitespace around it (spaces and tabs).
QByteArrayView trimmedOws(QByteArrayView value);
bool hasLineBreak(QByteArrayView bytes);
// The lines of a head that ends with its empty line (each found by a LF), without their line
// ends (LF or CR LF) and without that empty line.
QList<QByteArrayView> lines(QByteArrayView head);

} // namespace wsprobe::httphead
