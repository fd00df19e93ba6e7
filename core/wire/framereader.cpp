#include "framereader.h"

#include "closecodes.h"
#include "framewriter.h"

#include <QStringList>

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace wsprobe {

namespace {

// Without a limit a header may declare up to 2^63 - 1 bytes: memory for the payload is then
// reserved up to this much at once and grows as the bytes actually come.
constexpr qint64 MaxUnlimitedReserve = 16 * 1024 * 1024;

QString opcodeName(WireOpcode opcode)
{
    switch (opcode) {
    case WireOpcode::Continuation:
        return u"continuation"_s;
    case WireOpcode::Text:
        return u"text"_s;
    case WireOpcode::Binary:
        return u"binary"_s;
    case WireOpcode::Close:
        return u"close"_s;
    case WireOpcode::Ping:
        return u"ping"_s;
    case WireOpcode::Pong:
        return u"pong"_s;
    }
    return u"unknown"_s;
}

bool isReservedOpcode(quint8 opcode)
{
    return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB;
}

qint64 saturatingAdd(qint64 a, qint64 b)
{
    return a > std::numeric_limits<qint64>::max() - b ? std::numeric_limits<qint64>::max() : a + b;
}

QString hexByte(quint8 byte)
{
    return u"0x%1"_s.arg(uint(byte), 2, 16, QChar(u'0'));
}

} // namespace

FrameReader::FrameReader(Limits limits, Sender sender)
    : m_limits(limits), m_sender(sender)
{
}

qint64 FrameReader::pendingBytes() const
{
    return m_pending ? m_pending->size + m_buffer.size() : m_headSize;
}

void FrameReader::read(QByteArrayView bytes, Sink &sink)
{
    const char *p = bytes.data();
    qsizetype left = bytes.size();
    while (left > 0 && !m_failed && !m_closeReceived) {
        if (m_pending) {
            const Header header = *m_pending;
            const qsizetype taken = takePayload(header, p, left, sink);
            p += taken;
            left -= taken;
            continue;
        }
        Header header;
        if (m_headSize > 0) {
            // The start of a header is buffered: complete it a few bytes at a time (the length
            // field's size and the mask are known after 2 bytes).
            int needed = 2;
            if (m_headSize >= 2) {
                const int length7 = m_head[1] & 0x7F;
                needed += length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
                needed += (m_head[1] & 0x80) ? 4 : 0;
            }
            const qsizetype take = std::min<qsizetype>(left, needed - m_headSize);
            std::memcpy(m_head + m_headSize, p, size_t(take));
            m_headSize += int(take);
            p += take;
            left -= take;
            const HeaderStatus status = parseHeader(m_head, m_headSize, &header, sink);
            if (status == HeaderStatus::Fault)
                return;
            if (status == HeaderStatus::Incomplete)
                continue;
            m_headSize = 0;
        } else {
            // The common case: the header is in the caller's bytes, read in place.
            const HeaderStatus status =
                parseHeader(reinterpret_cast<const quint8 *>(p), left, &header, sink);
            if (status == HeaderStatus::Fault)
                return;
            if (status == HeaderStatus::Incomplete) {
                // Fewer bytes than a header holds: left < MaxHeaderBytes.
                std::memcpy(m_head, p, size_t(left));
                m_headSize = int(left);
                return;
            }
            p += header.size;
            left -= header.size;
        }
        const qsizetype taken = takePayload(header, p, left, sink);
        p += taken;
        left -= taken;
    }
}

qsizetype FrameReader::takePayload(const Header &header, const char *bytes, qsizetype size,
                                   Sink &sink)
{
    if (!m_pending) {
        if (header.payloadSize <= size) {
            // The whole payload is here: one copy, straight from the caller's bytes.
            const qsizetype payloadSize = qsizetype(header.payloadSize);
            QByteArray payload(bytes, payloadSize);
            if (header.maskKey)
                FrameWriter::applyMask(payload.data(), payloadSize, *header.maskKey);
            finishFrame(header, std::move(payload), sink);
            return payloadSize;
        }
        // Within the limits (checked from the header): room for the whole payload at once.
        const bool limited = m_limits.maxFrameSize > 0 || m_limits.maxMessageSize > 0;
        m_buffer.clear();
        m_buffer.reserve(qsizetype(limited ? header.payloadSize
                                           : std::min(header.payloadSize, MaxUnlimitedReserve)));
        appendPayload(header, bytes, size);
        m_pending = header;
        return size;
    }
    const qsizetype take = qsizetype(std::min<qint64>(size, header.payloadSize - m_buffer.size()));
    appendPayload(header, bytes, take);
    if (m_buffer.size() == header.payloadSize) {
        m_pending.reset();
        finishFrame(header, std::exchange(m_buffer, QByteArray()), sink);
    }
    return take;
}

void FrameReader::appendPayload(const Header &header, const char *bytes, qsizetype size)
{
    const qsizetype offset = m_buffer.size();
    m_buffer.append(bytes, size);
    if (header.maskKey)
        FrameWriter::applyMask(m_buffer.data() + offset, size, *header.maskKey, offset);
}

// The checks run in the order of the bytes they need (the first byte's, the second's, then the
// length's), so that a stream gives the same fault however it is cut.
FrameReader::HeaderStatus FrameReader::parseHeader(const quint8 *bytes, qsizetype size,
                                                   Header *header, Sink &sink)
{
    if (size < 1)
        return HeaderStatus::Incomplete;
    const quint8 first = bytes[0];
    const bool fin = (first & 0x80) != 0;
    const quint8 rawOpcode = first & 0x0F;
    if ((first & 0x70) != 0) {
        QStringList bits;
        for (int bit = 1; bit <= 3; ++bit) {
            if (first & (0x80 >> bit))
                bits << u"RSV%1"_s.arg(bit);
        }
        fail(1002,
             u"a frame with %1 set, which no negotiated extension defines (RFC 6455 5.2)"_s.arg(
                 bits.join(u" and "_s)),
             sink);
        return HeaderStatus::Fault;
    }
    if (isReservedOpcode(rawOpcode)) {
        fail(1002, u"a frame with a reserved opcode 0x%1 (RFC 6455 5.2)"_s.arg(
                       QString::number(rawOpcode, 16).toUpper()),
             sink);
        return HeaderStatus::Fault;
    }
    const auto opcode = WireOpcode(rawOpcode);
    const bool control = isControl(opcode);
    if (control && !fin) {
        fail(1002,
             u"a fragmented %1 frame (FIN clear; control frames may not be fragmented, RFC 6455 "
             u"5.5)"_s.arg(opcodeName(opcode)),
             sink);
        return HeaderStatus::Fault;
    }
    if (opcode == WireOpcode::Continuation && !m_messageOpcode) {
        fail(1002, u"a continuation frame with no fragmented message under way (RFC 6455 5.4)"_s,
             sink);
        return HeaderStatus::Fault;
    }
    if ((opcode == WireOpcode::Text || opcode == WireOpcode::Binary) && m_messageOpcode) {
        fail(1002,
             u"a %1 frame while a fragmented %2 message was under way (a continuation frame was "
             u"expected, RFC 6455 5.4)"_s.arg(opcodeName(opcode), opcodeName(*m_messageOpcode)),
             sink);
        return HeaderStatus::Fault;
    }
    if (size < 2)
        return HeaderStatus::Incomplete;

    const quint8 second = bytes[1];
    const bool masked = (second & 0x80) != 0;
    if (masked && m_sender == Sender::Server) {
        fail(1002, u"a masked frame (RFC 6455 5.1: a server must not mask)"_s, sink);
        return HeaderStatus::Fault;
    }
    if (!masked && m_sender == Sender::Client) {
        fail(1002, u"an unmasked frame (RFC 6455 5.1: a client must mask every frame)"_s, sink);
        return HeaderStatus::Fault;
    }
    const quint8 length7 = second & 0x7F;
    const int lengthBytes = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    const int maskBytes = masked ? 4 : 0;
    if (size < 2 + lengthBytes + maskBytes)
        return HeaderStatus::Incomplete;

    quint64 length = length7;
    if (lengthBytes > 0) {
        length = 0;
        for (int i = 0; i < lengthBytes; ++i)
            length = (length << 8) | bytes[2 + i];
    }
    if (length >> 63) {
        fail(1002,
             u"a 64-bit frame length with its most significant bit set (RFC 6455 5.2)"_s, sink);
        return HeaderStatus::Fault;
    }
    const auto payloadSize = qint64(length);
    if (control && payloadSize > 125) {
        fail(1002,
             u"a %1 frame with a %2-byte payload (control frames carry at most 125 bytes, RFC "
             u"6455 5.5)"_s.arg(opcodeName(opcode))
                 .arg(payloadSize),
             sink);
        return HeaderStatus::Fault;
    }
    if ((lengthBytes == 2 && payloadSize <= 125) || (lengthBytes == 8 && payloadSize <= 0xFFFF)) {
        fail(1002,
             u"a frame length of %1 written in %2 bits (RFC 6455 5.2: the minimal number of bytes "
             u"must be used)"_s.arg(payloadSize)
                 .arg(lengthBytes == 2 ? 16 : 64),
             sink);
        return HeaderStatus::Fault;
    }
    if (m_limits.maxFrameSize > 0 && payloadSize > m_limits.maxFrameSize) {
        Fault fault;
        fault.closeCode = 1009;
        fault.size = payloadSize;
        fault.limit = m_limits.maxFrameSize;
        fault.messageLimit = false;
        fault.text = u"message too big: a frame of %1 bytes > limit %2 (maxFrameSize)"_s
                         .arg(payloadSize)
                         .arg(m_limits.maxFrameSize);
        report(std::move(fault), sink);
        return HeaderStatus::Fault;
    }
    if (!control && m_limits.maxMessageSize > 0) {
        const qint64 earlier = opcode == WireOpcode::Continuation ? m_messageBytes : 0;
        if (payloadSize > m_limits.maxMessageSize - earlier) {
            Fault fault;
            fault.closeCode = 1009;
            fault.size = saturatingAdd(earlier, payloadSize);
            fault.limit = m_limits.maxMessageSize;
            fault.messageLimit = true;
            fault.text = u"message too big: %1%2 bytes > limit %3 (maxMessageSize)"_s
                             .arg(fin ? QString() : u"at least "_s)
                             .arg(fault.size)
                             .arg(m_limits.maxMessageSize);
            report(std::move(fault), sink);
            return HeaderStatus::Fault;
        }
    }
    header->opcode = opcode;
    header->fin = fin;
    header->payloadSize = payloadSize;
    header->size = 2 + lengthBytes + maskBytes;
    header->maskKey.reset();
    if (masked) {
        const quint8 *key = bytes + 2 + lengthBytes;
        header->maskKey = (quint32(key[0]) << 24) | (quint32(key[1]) << 16)
                | (quint32(key[2]) << 8) | quint32(key[3]);
    }
    return HeaderStatus::Complete;
}

void FrameReader::finishFrame(const Header &header, QByteArray &&payload, Sink &sink)
{
    Frame frame;
    frame.opcode = header.opcode;
    frame.fin = header.fin;
    frame.payload = std::move(payload);

    switch (header.opcode) {
    case WireOpcode::Text:
        m_utf8.reset();
        if (!checkText(frame.payload, header.fin, 0, sink))
            return;
        [[fallthrough]];
    case WireOpcode::Binary:
        if (!header.fin) {
            m_messageOpcode = header.opcode;
            m_messageBytes = frame.payload.size();
        }
        break;
    case WireOpcode::Continuation:
        if (m_messageOpcode == WireOpcode::Text
            && !checkText(frame.payload, header.fin, m_messageBytes, sink)) {
            return;
        }
        m_messageBytes += frame.payload.size();
        if (header.fin) {
            m_messageOpcode.reset();
            m_messageBytes = 0;
        }
        break;
    case WireOpcode::Close:
        finishClose(std::move(frame), sink);
        return;
    case WireOpcode::Ping:
    case WireOpcode::Pong:
        break;
    }
    sink.frame(std::move(frame));
}

bool FrameReader::checkText(const QByteArray &payload, bool fin, qint64 messageOffset, Sink &sink)
{
    const Utf8Validator before = m_utf8;
    if (!m_utf8.feed(payload)) {
        // Rare: find the byte that broke it, for the log.
        Utf8Validator again = before;
        qsizetype at = 0;
        while (at < payload.size() && again.feed(QByteArrayView(payload.constData() + at, 1)))
            ++at;
        const auto byte = quint8(at < payload.size() ? payload.at(at) : 0);
        fail(1007,
             u"a text message that is not valid UTF-8 (byte %1 at offset %2 of the message, RFC "
             u"6455 8.1)"_s.arg(hexByte(byte))
                 .arg(messageOffset + at),
             sink);
        return false;
    }
    if (fin && !m_utf8.atBoundary()) {
        fail(1007,
             u"a text message that ends in the middle of a UTF-8 character (RFC 6455 8.1)"_s,
             sink);
        return false;
    }
    return true;
}

void FrameReader::finishClose(Frame &&frame, Sink &sink)
{
    const QByteArray &payload = frame.payload;
    if (payload.size() == 1) {
        Fault fault;
        fault.closeCode = 1002;
        fault.text = u"a close frame with a 1-byte payload (a close payload is empty or starts "
                     u"with a 2-byte code, RFC 6455 5.5.1)"_s;
        fault.closeFrame = std::move(frame);
        report(std::move(fault), sink);
        return;
    }
    if (payload.size() >= 2) {
        const auto code = quint16((quint8(payload[0]) << 8) | quint8(payload[1]));
        const QByteArrayView reason = QByteArrayView(payload).sliced(2);
        frame.closeCode = code;
        frame.closeReason = QString::fromUtf8(reason);
        if (!CloseCodes::canBeSent(code)) {
            Fault fault;
            fault.closeCode = 1002;
            fault.text = u"a close frame with code %1, which may not be sent on the wire (RFC 6455 "
                         u"7.4)"_s.arg(code);
            fault.closeFrame = std::move(frame);
            report(std::move(fault), sink);
            return;
        }
        Utf8Validator utf8;
        if (!utf8.feed(reason) || !utf8.atBoundary()) {
            Fault fault;
            fault.closeCode = 1007;
            fault.text = u"a close frame with code %1 whose reason is not valid UTF-8 (RFC 6455 "
                         u"5.5.1)"_s.arg(code);
            fault.closeFrame = std::move(frame);
            report(std::move(fault), sink);
            return;
        }
    }
    m_closeReceived = true;
    sink.frame(std::move(frame));
}

void FrameReader::fail(quint16 closeCode, QString text, Sink &sink)
{
    Fault fault;
    fault.closeCode = closeCode;
    fault.text = std::move(text);
    report(std::move(fault), sink);
}

void FrameReader::report(Fault &&fault, Sink &sink)
{
    // Nothing more is read: what is held for a frame goes now.
    m_failed = true;
    m_headSize = 0;
    m_pending.reset();
    m_buffer = QByteArray();
    sink.fault(std::move(fault));
}

} // namespace wsprobe
