#pragma once

#include "utf8validator.h"
#include "wireopcode.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace wsprobe {

// What a FrameReader accepts before it fails the connection with 1009.
struct FrameLimits
{
    qint64 maxFrameSize = 0;    // payload bytes of one frame; 0 = no limit
    qint64 maxMessageSize = 0;  // payload bytes of one message, all its frames; 0 = no limit
};

// Reads what the peer sends after the upgrade, frame by frame, with every check RFC 6455 asks
// (sections 5.1-5.5, 7.4, 8.1). A client reads a server's frames (which must not be masked); a
// server reads a client's (which must be, RFC 6455 5.1, and are unmasked here). Fed the bytes as they arrive, cut anywhere, it reports
// each whole frame in order, or the first fault, after which it reads nothing more. It knows what
// the server actually sent, so a fault names it ("a close frame with code 999"), and a frame
// over a limit is refused from its header, with its real size, before its payload is read.
//
// Messages are not put together here (the caller keeps what it needs); fragments are checked as
// a sequence: a continuation needs a message under way, a new message may not start inside one,
// text is valid UTF-8 across its fragments, and the message size counts them all.
class FrameReader
{
public:
    using Limits = FrameLimits;

    // Who wrote the frames this reader reads: a server (we are its client; the default) or a
    // client (we are its server).
    enum class Sender { Server, Client };

    struct Frame
    {
        WireOpcode opcode = WireOpcode::Text;
        bool fin = true;
        // Unmasked. Text (and the continuations of a text message) is valid UTF-8 so far; a
        // frame may end inside a character when the message goes on.
        QByteArray payload;
        // Close frames only: the code, or none (an empty payload: the RFC's 1005), and the reason.
        std::optional<quint16> closeCode;
        QString closeReason;
    };

    struct Fault
    {
        // What the client answers with (RFC 6455 7.4.1): 1002 protocol error, 1007 invalid
        // payload data (UTF-8), 1009 message too big.
        quint16 closeCode = 1002;
        // What the peer did, in words, for the log: "a close frame with code 999, which may
        // not be sent (RFC 6455 7.4)", "a reserved opcode 0x3", "a masked frame (RFC 6455 5.1:
        // a server must not mask)", "message too big: 300000 bytes > limit 262144".
        QString text;
        // Too big (1009): the size declared by the header that crossed the limit: the frame's
        // payload, or the message so far with this frame's whole payload. -1 otherwise.
        qint64 size = -1;
        qint64 limit = -1;          // the limit it crossed; -1 otherwise
        bool messageLimit = false;  // the message limit (else the frame limit) was crossed
        // A close frame that broke the rules (a code that may not be sent, a 1-byte payload, a
        // reason that is not UTF-8), as it came: its code as sent and its reason as far as it
        // can be read.
        std::optional<Frame> closeFrame;
    };

    // What the reader reports to: frames in the order they arrived, then at most one fault.
    class Sink
    {
    public:
        virtual ~Sink() = default;
        virtual void frame(Frame &&frame) = 0;
        virtual void fault(Fault &&fault) = 0;
    };

    explicit FrameReader(Limits limits = {}, Sender sender = Sender::Server);

    // Reads `bytes`, which follow everything read before. Reports every frame they complete,
    // in order; at the first fault reports it and ignores everything from then on. After a
    // valid close frame nothing more is read either (RFC 6455 5.5.1: no data after a close).
    void read(QByteArrayView bytes, Sink &sink);

    // Bytes held for a frame that is not complete yet.
    qint64 pendingBytes() const;
    // A fragmented message has begun and its last frame has not come yet.
    bool inMessage() const { return m_messageOpcode.has_value(); }
    bool failed() const { return m_failed; }
    bool closeReceived() const { return m_closeReceived; }

private:
    // A frame's header, once it is read and checked.
    struct Header
    {
        WireOpcode opcode = WireOpcode::Text;
        bool fin = true;
        qint64 payloadSize = 0;
        int size = 0;  // bytes of the header itself
        std::optional<quint32> maskKey;  // a client's frame: its mask
    };
    enum class HeaderStatus { Incomplete, Fault, Complete };

    // A header is at most 14 bytes: 2, 8 of length and a client's 4 of mask key.
    static constexpr int MaxHeaderBytes = 14;

    HeaderStatus parseHeader(const quint8 *bytes, qsizetype size, Header *header, Sink &sink);
    // Takes the payload of `header` from `bytes`: reports the frame when it is all there, else
    // keeps what there is. Returns how many bytes it took.
    qsizetype takePayload(const Header &header, const char *bytes, qsizetype size, Sink &sink);
    // Appends to m_buffer, unmasked.
    void appendPayload(const Header &header, const char *bytes, qsizetype size);
    void finishFrame(const Header &header, QByteArray &&payload, Sink &sink);
    void finishClose(Frame &&frame, Sink &sink);
    bool checkText(const QByteArray &payload, bool fin, qint64 messageOffset, Sink &sink);
    void fail(quint16 closeCode, QString text, Sink &sink);
    void report(Fault &&fault, Sink &sink);

    Limits m_limits;
    Sender m_sender = Sender::Server;
    quint8 m_head[MaxHeaderBytes] = {};  // the start of a header not yet complete
    int m_headSize = 0;
    std::optional<Header> m_pending;  // the header whose payload is arriving in m_buffer
    QByteArray m_buffer;       // the payload so far of the frame m_pending heads
    std::optional<WireOpcode> m_messageOpcode;  // Text or Binary while a fragmented message runs
    qint64 m_messageBytes = 0;  // payload bytes of the message under way
    Utf8Validator m_utf8;       // of the text message under way
    bool m_failed = false;
    bool m_closeReceived = false;
};

} // namespace wsprobe
