#include "utf8validator.h"

#include <array>
#include <cstring>

namespace wsprobe {

namespace {

// The byte classes of the RFC 3629 table (section 4): bytes that play the same part in every
// state share a class, so the transition table stays small.
enum ByteClass : quint8 {
    Ascii,       // 00..7F
    Cont80,      // 80..8F
    Cont90,      // 90..9F
    ContA0,      // A0..BF
    Lead2,       // C2..DF
    LeadE0,      // E0: the next byte A0..BF (no overlong form)
    Lead3,       // E1..EC, EE..EF
    LeadED,      // ED: the next byte 80..9F (no surrogate)
    LeadF0,      // F0: the next byte 90..BF (no overlong form)
    Lead4,       // F1..F3
    LeadF4,      // F4: the next byte 80..8F (nothing above U+10FFFF)
    Never,       // C0, C1, F5..FF: no valid text holds them
    ClassCount
};

// The states: how much of a character is still expected, and which bytes may come next.
enum State : quint8 {
    Accept,     // between characters
    Reject,     // invalid from here on
    Need1,      // one continuation byte
    Need2,      // two continuation bytes
    AfterE0,    // A0..BF, then one
    AfterED,    // 80..9F, then one
    AfterF0,    // 90..BF, then two
    Need3,      // three continuation bytes
    AfterF4,    // 80..8F, then two
    StateCount
};

constexpr std::array<quint8, 256> makeClasses()
{
    std::array<quint8, 256> classes{};
    for (int b = 0; b < 256; ++b) {
        quint8 c = Never;
        if (b <= 0x7F)
            c = Ascii;
        else if (b <= 0x8F)
            c = Cont80;
        else if (b <= 0x9F)
            c = Cont90;
        else if (b <= 0xBF)
            c = ContA0;
        else if (b <= 0xC1)
            c = Never;
        else if (b <= 0xDF)
            c = Lead2;
        else if (b == 0xE0)
            c = LeadE0;
        else if (b == 0xED)
            c = LeadED;
        else if (b <= 0xEF)
            c = Lead3;
        else if (b == 0xF0)
            c = LeadF0;
        else if (b <= 0xF3)
            c = Lead4;
        else if (b == 0xF4)
            c = LeadF4;
        classes[b] = c;
    }
    return classes;
}

using Transitions = std::array<std::array<quint8, ClassCount>, StateCount>;

constexpr Transitions makeTransitions()
{
    Transitions next{};
    for (auto &row : next)
        for (auto &to : row)
            to = Reject;
    next[Accept][Ascii] = Accept;
    next[Accept][Lead2] = Need1;
    next[Accept][LeadE0] = AfterE0;
    next[Accept][Lead3] = Need2;
    next[Accept][LeadED] = AfterED;
    next[Accept][LeadF0] = AfterF0;
    next[Accept][Lead4] = Need3;
    next[Accept][LeadF4] = AfterF4;
    for (quint8 c : {Cont80, Cont90, ContA0}) {
        next[Need1][c] = Accept;
        next[Need2][c] = Need1;
        next[Need3][c] = Need2;
    }
    next[AfterE0][ContA0] = Need1;
    next[AfterED][Cont80] = Need1;
    next[AfterED][Cont90] = Need1;
    next[AfterF0][Cont90] = Need2;
    next[AfterF0][ContA0] = Need2;
    next[AfterF4][Cont80] = Need2;
    return next;
}

constexpr std::array<quint8, 256> byteClass = makeClasses();
constexpr Transitions transition = makeTransitions();

constexpr quint64 HighBits = 0x8080808080808080ULL;

} // namespace

bool Utf8Validator::feed(QByteArrayView bytes)
{
    if (m_failed)
        return false;
    const auto *p = reinterpret_cast<const quint8 *>(bytes.data());
    const quint8 *const end = p + bytes.size();
    quint32 state = m_state;
    while (p != end) {
        // Text is mostly ASCII: between characters, skip 8 ASCII bytes at a time.
        if (state == Accept) {
            while (end - p >= 8) {
                quint64 word;
                std::memcpy(&word, p, sizeof word);
                if (word & HighBits)
                    break;
                p += 8;
            }
            if (p == end)
                break;
        }
        state = transition[state][byteClass[*p++]];
        if (state == Reject) {
            m_failed = true;
            m_state = state;
            return false;
        }
    }
    m_state = state;
    return true;
}

void Utf8Validator::reset()
{
    m_state = Accept;
    m_failed = false;
}

} // namespace wsprobe
