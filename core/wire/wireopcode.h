#pragma once

#include <QtGlobal>

namespace wsprobe {

// The frame opcodes of RFC 6455 section 5.2 (the others are reserved).
enum class WireOpcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

inline bool isControl(WireOpcode opcode)
{
    return (quint8(opcode) & 0x8) != 0;
}

} // namespace wsprobe
