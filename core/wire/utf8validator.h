#pragma once

#include <QByteArrayView>
#include <QtGlobal>

namespace wsprobe {

// Checks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) as it
// arrives, in slices cut anywhere, even inside a character: a text message is checked frame by
// frame, and fails at the first frame that holds a byte no valid text can have, as RFC 6455 8.1
// asks ("fail fast"), not only when its last frame has come.
class Utf8Validator
{
public:
    // Checks `bytes` after everything fed so far. False from the first invalid byte on (and
    // for every later call, until reset()).
    bool feed(QByteArrayView bytes);
    // Whether everything fed so far is valid and ends on a character boundary: a text message
    // may end here.
    bool atBoundary() const { return !m_failed && m_state == 0; }
    bool failed() const { return m_failed; }
    void reset();

private:
    quint32 m_state = 0;  // of the decoding automaton: 0 between characters
    bool m_failed = false;
};

} // namespace wsprobe
