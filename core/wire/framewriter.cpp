#include "framewriter.h"

#include <cstdint>
#include <cstring>

namespace wsprobe::FrameWriter {

namespace {

// The frame with its header written and the payload copied, unmasked; a mask key's 4 bytes
// (when masked) just before the payload.
QByteArray frameWithHeader(WireOpcode opcode, QByteArrayView payload, bool masked, bool fin,
                           qsizetype *headerSize)
{
    const qsizetype size = payload.size();
    const qsizetype lengthBytes = size <= 125 ? 0 : size <= 0xFFFF ? 2 : 8;
    *headerSize = 2 + lengthBytes + (masked ? 4 : 0);
    QByteArray frame(*headerSize + size, Qt::Uninitialized);
    auto *out = reinterpret_cast<quint8 *>(frame.data());
    const quint8 maskBit = masked ? 0x80 : 0x00;
    out[0] = quint8((fin ? 0x80 : 0x00) | quint8(opcode));
    if (lengthBytes == 0) {
        out[1] = quint8(maskBit | size);
    } else if (lengthBytes == 2) {
        out[1] = maskBit | 126;
        out[2] = quint8(size >> 8);
        out[3] = quint8(size);
    } else {
        out[1] = maskBit | 127;
        const quint64 length = quint64(size);
        for (int i = 0; i < 8; ++i)
            out[2 + i] = quint8(length >> (56 - 8 * i));
    }
    if (size > 0)
        std::memcpy(frame.data() + *headerSize, payload.data(), size_t(size));
    return frame;
}

} // namespace

QByteArray clientFrame(WireOpcode opcode, QByteArrayView payload, quint32 maskKey, bool fin)
{
    qsizetype headerSize = 0;
    QByteArray frame = frameWithHeader(opcode, payload, true, fin, &headerSize);
    auto *key = reinterpret_cast<quint8 *>(frame.data()) + headerSize - 4;
    key[0] = quint8(maskKey >> 24);
    key[1] = quint8(maskKey >> 16);
    key[2] = quint8(maskKey >> 8);
    key[3] = quint8(maskKey);
    applyMask(frame.data() + headerSize, payload.size(), maskKey, 0);
    return frame;
}

QByteArray serverFrame(WireOpcode opcode, QByteArrayView payload, bool fin)
{
    qsizetype headerSize = 0;
    return frameWithHeader(opcode, payload, false, fin, &headerSize);
}

QByteArray closePayload(quint16 code, QByteArrayView reasonUtf8)
{
    if (code == 0)
        return {};
    QByteArray payload(2 + reasonUtf8.size(), Qt::Uninitialized);
    payload[0] = char(code >> 8);
    payload[1] = char(code & 0xFF);
    if (!reasonUtf8.isEmpty())
        std::memcpy(payload.data() + 2, reasonUtf8.data(), size_t(reasonUtf8.size()));
    return payload;
}

void applyMask(char *data, qsizetype size, quint32 maskKey, qsizetype offset)
{
    if (size <= 0)
        return;
    const quint8 key[4] = {quint8(maskKey >> 24), quint8(maskKey >> 16), quint8(maskKey >> 8),
                           quint8(maskKey)};
    auto *p = reinterpret_cast<quint8 *>(data);
    quint8 *const end = p + size;
    unsigned k = unsigned(offset & 3);

    // Up to the first 8-byte boundary byte by byte, so that the words below are aligned.
    while (p != end && (reinterpret_cast<std::uintptr_t>(p) & 7) != 0) {
        *p++ ^= key[k];
        k = (k + 1) & 3;
    }
    if (end - p >= 8) {
        // The mask as the next 8 bytes of memory see it, starting at key byte k.
        quint8 pattern[8];
        for (unsigned i = 0; i < 8; ++i)
            pattern[i] = key[(k + i) & 3];
        quint64 word;
        std::memcpy(&word, pattern, sizeof word);
        while (end - p >= 8) {
            quint64 value;
            std::memcpy(&value, p, sizeof value);
            value ^= word;
            std::memcpy(p, &value, sizeof value);
            p += 8;
        }
        // 8 is a multiple of 4: k is where it was.
    }
    while (p != end) {
        *p++ ^= key[k];
        k = (k + 1) & 3;
    }
}

} // namespace wsprobe::FrameWriter
