// Frames after the upgrade, by FrameReader: what a hostile or broken server can send to a client,
// and (the same bytes, read as a client's) what a client can send to the mock server.
//
// The input's first byte sets the limits (low nibble: the frame limit in hundreds of bytes,
// high nibble: the message limit in 300s; 0 is no limit), the rest is the byte stream. Checks
// beyond "no crash": the stream read whole, byte by byte and in slices whose sizes the input
// itself gives yields the same frames and the same fault; a fault has words and a code in
// {1002, 1007, 1009} and is the last report; a 1009 reports a size over its limit; control
// frames are whole and at most 125 bytes; every text message is valid UTF-8 by Qt's decoder;
// nothing is reported after a close frame.

#include "framereader.h"
#include "fuzzsupport.h"

#include <QStringList>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

struct Recorder : FrameReader::Sink
{
    QStringList reports;
    QList<FrameReader::Frame> frames;
    std::optional<FrameReader::Fault> failure;
    bool afterEnd = false;  // a report after a fault or a close frame

    void frame(FrameReader::Frame &&frame) override
    {
        if (failure || (!frames.isEmpty() && frames.last().opcode == WireOpcode::Close))
            afterEnd = true;
        QString line = u"frame %1 fin=%2 %3"_s.arg(int(frame.opcode))
                           .arg(frame.fin)
                           .arg(QString::fromLatin1(frame.payload.toHex()));
        if (frame.closeCode)
            line += u" code=%1 reason=%2"_s.arg(*frame.closeCode).arg(frame.closeReason);
        reports << line;
        frames.append(std::move(frame));
    }
    void fault(FrameReader::Fault &&fault) override
    {
        if (failure || (!frames.isEmpty() && frames.last().opcode == WireOpcode::Close))
            afterEnd = true;
        QString line = u"fault %1 size=%2 limit=%3 message=%4 %5"_s.arg(fault.closeCode)
                           .arg(fault.size)
                           .arg(fault.limit)
                           .arg(fault.messageLimit)
                           .arg(fault.text);
        if (fault.closeFrame) {
            line += u" close=%1 reason=%2"_s.arg(fault.closeFrame->closeCode.value_or(0))
                        .arg(fault.closeFrame->closeReason);
        }
        reports << line;
        failure = std::move(fault);
    }
};

void check(const Recorder &recorder, const FrameReader &reader, FrameLimits limits)
{
    const QString all = recorder.reports.join(u'\n');
    WSPROBE_FUZZ_CHECK(!recorder.afterEnd, all);
    WSPROBE_FUZZ_CHECK(reader.failed() == recorder.failure.has_value(), all);
    if (const auto &fault = recorder.failure) {
        WSPROBE_FUZZ_CHECK(!fault->text.isEmpty(), all);
        WSPROBE_FUZZ_CHECK(fault->closeCode == 1002 || fault->closeCode == 1007
                               || fault->closeCode == 1009,
                           all);
        if (fault->closeCode == 1009) {
            const qint64 limit = fault->messageLimit ? limits.maxMessageSize : limits.maxFrameSize;
            WSPROBE_FUZZ_CHECK(limit > 0 && fault->limit == limit && fault->size > limit, all);
        } else {
            WSPROBE_FUZZ_CHECK(fault->size == -1 && fault->limit == -1, all);
        }
    }
    QByteArray text;
    bool inText = false;
    for (const FrameReader::Frame &frame : recorder.frames) {
        if (isControl(frame.opcode)) {
            WSPROBE_FUZZ_CHECK(frame.fin && frame.payload.size() <= 125, all);
            continue;
        }
        if (limits.maxFrameSize > 0)
            WSPROBE_FUZZ_CHECK(frame.payload.size() <= limits.maxFrameSize, all);
        if (frame.opcode == WireOpcode::Text) {
            inText = true;
            text.clear();
        } else if (frame.opcode == WireOpcode::Binary) {
            inText = false;
        }
        if (inText)
            text += frame.payload;
        if (frame.fin && inText) {
            WSPROBE_FUZZ_CHECK(QString::fromUtf8(text).toUtf8() == text, all);
            inText = false;
        }
    }
    const bool closed = !recorder.frames.isEmpty()
            && recorder.frames.last().opcode == WireOpcode::Close && !recorder.failure;
    WSPROBE_FUZZ_CHECK(reader.closeReceived() == closed, all);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    FrameLimits limits;
    limits.maxFrameSize = (data[0] & 0x0F) * 100;
    limits.maxMessageSize = (data[0] >> 4) * 300;
    const QByteArrayView stream = fuzz::bytes(data + 1, size - 1);
    // As a client reads a server's frames, and as the mock server reads a client's (masked).
    for (const FrameReader::Sender sender : {FrameReader::Sender::Server, FrameReader::Sender::Client}) {
        FrameReader whole(limits, sender);
        Recorder wholeRecorder;
        whole.read(stream, wholeRecorder);
        check(wholeRecorder, whole, limits);
        const QString expected = wholeRecorder.reports.join(u'\n');

        FrameReader sliced(limits, sender);
        Recorder slicedRecorder;
        qsizetype at = 0;
        for (qsizetype i = 0; at < stream.size(); ++i) {
            qsizetype piece = quint8(stream[i % stream.size()]) % 23;
            if (piece == 0) {
                sliced.read(QByteArrayView(), slicedRecorder);  // an empty read changes nothing
                piece = 1;
            }
            piece = std::min(piece, stream.size() - at);
            sliced.read(stream.sliced(at, piece), slicedRecorder);
            at += piece;
        }
        const QString inSlices = slicedRecorder.reports.join(u'\n');
        WSPROBE_FUZZ_CHECK(inSlices == expected, u"in slices:\n"_s + inSlices + u"\nwhole:\n"_s + expected);
        WSPROBE_FUZZ_CHECK(sliced.pendingBytes() == whole.pendingBytes(), expected);

        FrameReader byByte(limits, sender);
        Recorder byteRecorder;
        for (qsizetype i = 0; i < stream.size(); ++i)
            byByte.read(stream.sliced(i, 1), byteRecorder);
        const QString inBytes = byteRecorder.reports.join(u'\n');
        WSPROBE_FUZZ_CHECK(inBytes == expected, u"byte by byte:\n"_s + inBytes + u"\nwhole:\n"_s + expected);
    }
    return 0;
}
