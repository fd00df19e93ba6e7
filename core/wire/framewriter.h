#pragma once

#include "wireopcode.h"

#include <QByteArray>
#include <QByteArrayView>

namespace wsprobe {

// Frames as RFC 6455 5.2 and 5.3 write them, the length in the fewest bytes that hold it: a
// client's always masked, a server's never.
namespace FrameWriter {

// One frame: FIN as given, RSV bits clear, masked with `maskKey` (the 4 bytes are written
// most significant first).
QByteArray clientFrame(WireOpcode opcode, QByteArrayView payload, quint32 maskKey, bool fin = true);
// One frame as a server writes it: FIN as given, RSV bits clear, unmasked.
QByteArray serverFrame(WireOpcode opcode, QByteArrayView payload, bool fin = true);

// The payload of a close frame: the code (big-endian) and the reason, UTF-8. A code of 0 means
// "no status code" (an empty payload; the peer reads 1005).
QByteArray closePayload(quint16 code, QByteArrayView reasonUtf8);

// XORs `size` bytes at `data` with the mask, starting at mask byte `offset % 4`: the same call
// masks and unmasks.
void applyMask(char *data, qsizetype size, quint32 maskKey, qsizetype offset = 0);

} // namespace FrameWriter
} // namespace wsprobe
