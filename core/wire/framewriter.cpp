#include "framewriter.h"

#include <cstdint>
#include <cstring>

namespace wsprobe::FrameWriter {

QByteArray clientFrame(WireOpcode opcode, QByteArrayView payload, quint32 maskKey, bool fin)
{
    const qsizetype size = payload.size();
    const qsizetype lengthBytes = size <= 125 ? 0 : size <= 0xFFFF ? 2 : 8;
    const qsizetype headerSize = 2 + lengthBytes + 4;
    QByteArray frame(headerSize + size, Qt::Uninitialized);
    auto *out = reinterpret_cast<quint8 *>(frame.data());
    out[0] = quint8((fin ? 0x80 : 0x00) | quint8(opcode));
    if (lengthBytes == 0) {
        out[1] = quint8(0x80 | size);
    } else if (lengthBytes == 2) {
        out[1] = 0x80 | 126;
        out[2] = quint8(size >> 8);
        out[3] = quint8(size);
    } else {
        out[1] = 0x80 | 127;
        const quint64 length = quint64(size);
        for (int i = 0; i < 8; ++i)
            out[2 + i] = quint8(length >> (56 - 8 * i));
    }
    quint8 *key = out + 2 + lengthBytes;
    key[0] = quint8(maskKey >> 24);
    key[1] = quint8(maskKey >> 16);
    key[2] = quint8(maskKey >> 8);
    key[3] = quint8(maskKey);
    if (size > 0) {
        char *data = frame.data() + headerSize;
        std::memcpy(data, payload.data(), size_t(size));
        applyMask(data, size, maskKey, 0);
    }
    return frame;
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
