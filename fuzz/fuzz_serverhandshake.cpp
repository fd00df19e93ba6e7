// A client's upgrade request, as the mock server's ServerHandshake reads it.
//
// The whole input is the request. Checks beyond "no crash": the same bytes fed whole, in slices
// (cut where the input's own bytes say) and byte by byte end the same (status, failure, status
// to refuse with, method, target, headers, key, subprotocols, leftover); an Invalid request
// says why and is refused with 400, 426 or 431; a Complete one has a 24-character key and a 101
// that holds no line break other than its own CR LFs.

#include "fuzzsupport.h"
#include "serverhandshake.h"

#include <QStringList>

using namespace Qt::StringLiterals;
using namespace wsprobe;

namespace {

struct Result
{
    ServerHandshake::Status status;
    QString failure;
    int failureStatus;
    QByteArray method;
    QByteArray target;
    QList<ServerHandshake::Header> headers;
    QByteArray key;
    QStringList subprotocols;
    QByteArray leftover;
};

Result finish(ServerHandshake &handshake)
{
    return {handshake.status(), handshake.failure(), handshake.failureStatus(),
            handshake.method(), handshake.target(), handshake.headers(),
            handshake.key(), handshake.offeredSubprotocols(), handshake.takeLeftover()};
}

QString describe(const Result &a, const Result &b)
{
    return u"status %1 vs %2, failure \"%3\" vs \"%4\", leftover %5 vs %6 bytes"_s.arg(int(a.status))
        .arg(int(b.status))
        .arg(a.failure, b.failure)
        .arg(a.leftover.size())
        .arg(b.leftover.size());
}

void check(ServerHandshake &handshake, const Result &result)
{
    using Status = ServerHandshake::Status;
    if (result.status == Status::Invalid) {
        WSPROBE_FUZZ_CHECK(!result.failure.isEmpty(), result.failure);
        WSPROBE_FUZZ_CHECK(result.failureStatus == 400 || result.failureStatus == 426
                               || result.failureStatus == 431,
                           result.failure);
        const QByteArray response = handshake.invalidResponse("fuzz");
        WSPROBE_FUZZ_CHECK(response.startsWith("HTTP/1.1 4"), QString::fromLatin1(response));
    }
    if (result.status == Status::Complete) {
        WSPROBE_FUZZ_CHECK(result.key.size() == 24, QString::fromLatin1(result.key));
        const QByteArray response =
                handshake.acceptResponse(result.subprotocols.value(0), {{"X-Fuzz", result.method}});
        const QByteArray head = response.left(response.size() - 4);  // the blank line's CR LF CR LF
        WSPROBE_FUZZ_CHECK(!QByteArray(head).replace("\r\n", "").contains('\n')
                               && !QByteArray(head).replace("\r\n", "").contains('\r'),
                           QString::fromLatin1(response));
    }
}

void compare(const Result &whole, const Result &sliced)
{
    WSPROBE_FUZZ_CHECK(whole.status == sliced.status && whole.failure == sliced.failure
                           && whole.failureStatus == sliced.failureStatus
                           && whole.method == sliced.method && whole.target == sliced.target
                           && whole.headers == sliced.headers && whole.key == sliced.key
                           && whole.subprotocols == sliced.subprotocols
                           && whole.leftover == sliced.leftover,
                       describe(whole, sliced));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView input = fuzz::bytes(data, size);

    ServerHandshake whole;
    whole.read(input);
    const Result wholeRead = finish(whole);
    check(whole, wholeRead);

    // Slices 1 to 16 bytes long, their lengths taken from the input's bytes in turn.
    ServerHandshake sliced;
    qsizetype at = 0;
    qsizetype i = 0;
    while (at < input.size()) {
        const qsizetype n = qMin(input.size() - at, qsizetype(1 + (std::uint8_t(input[i++ % input.size()]) % 16)));
        sliced.read(input.sliced(at, n));
        at += n;
    }
    compare(wholeRead, finish(sliced));

    if (input.size() <= 4096) {
        ServerHandshake bytewise;
        for (qsizetype j = 0; j < input.size(); ++j)
            bytewise.read(input.sliced(j, 1));
        compare(wholeRead, finish(bytewise));
    }
    return 0;
}
