// The server's answer to the opening handshake, as ClientHandshake reads it.
//
// The whole input is the answer. Checks beyond "no crash": the same bytes fed whole and in
// slices (cut where the input's own bytes say) end the same (status, failure, HTTP status,
// headers, subprotocol), also after the end of the stream; a refusal or failure always says
// why; responseText() never holds a CR.

#include "clienthandshake.h"
#include "fuzzsupport.h"

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

ClientHandshake::Request request()
{
    ClientHandshake::Request r;
    r.url = QUrl(u"ws://server.example.com/chat"_s);
    r.subprotocols = {u"chat"_s, u"superchat"_s};
    // RFC 6455 1.3's key: the seeds' Sec-WebSocket-Accept matches it.
    r.key = "dGhlIHNhbXBsZSBub25jZQ==";
    return r;
}

struct Result
{
    ClientHandshake::Status status;
    QString failure;
    int httpStatus;
    QList<ClientHandshake::Header> headers;
    QString subprotocol;
    QString text;
};

Result finish(ClientHandshake &handshake)
{
    return {handshake.status(), handshake.failure(), handshake.httpStatus(),
            handshake.responseHeaders(), handshake.subprotocol(), handshake.responseText()};
}

QString describe(const Result &a, const Result &b)
{
    return u"status %1 vs %2, failure \"%3\" vs \"%4\", HTTP %5 vs %6"_s.arg(int(a.status))
        .arg(int(b.status))
        .arg(a.failure, b.failure)
        .arg(a.httpStatus)
        .arg(b.httpStatus);
}

void check(const Result &result)
{
    using Status = ClientHandshake::Status;
    if (result.status == Status::Refused || result.status == Status::Failed)
        WSPROBE_FUZZ_CHECK(!result.failure.isEmpty(), result.text);
    WSPROBE_FUZZ_CHECK(!result.text.contains(u'\r'), result.text);
}

void compare(const Result &whole, const Result &sliced)
{
    WSPROBE_FUZZ_CHECK(whole.status == sliced.status && whole.failure == sliced.failure
                           && whole.httpStatus == sliced.httpStatus
                           && whole.headers == sliced.headers
                           && whole.subprotocol == sliced.subprotocol,
                       describe(whole, sliced));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView input = fuzz::bytes(data, size);

    ClientHandshake whole(request());
    whole.read(input);
    const Result wholeRead = finish(whole);
    check(wholeRead);
    whole.endOfStream();
    const Result wholeEnded = finish(whole);
    check(wholeEnded);

    // Slices 1 to 16 bytes long, their lengths taken from the input's bytes in turn.
    ClientHandshake sliced(request());
    qsizetype at = 0;
    qsizetype i = 0;
    while (at < input.size()) {
        const qsizetype n = qMin(input.size() - at, qsizetype(1 + (std::uint8_t(input[i++ % input.size()]) % 16)));
        sliced.read(input.sliced(at, n));
        at += n;
    }
    compare(wholeRead, finish(sliced));
    sliced.endOfStream();
    compare(wholeEnded, finish(sliced));

    // Byte by byte too, for inputs short enough to keep a run fast.
    if (input.size() <= 4096) {
        ClientHandshake bytewise(request());
        for (qsizetype j = 0; j < input.size(); ++j)
            bytewise.read(input.sliced(j, 1));
        compare(wholeRead, finish(bytewise));
    }
    return 0;
}
