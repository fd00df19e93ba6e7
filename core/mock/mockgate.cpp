#include "mockgate.h"

#include <QTcpSocket>
#include <QUrl>

#include <optional>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

demo::RequestGate::Verdict refusal(int status)
{
    return {status, "Refused by the wsprobe mock server: "_ba + QByteArray::number(status) + ' '
                    + demo::httpReasonPhrase(status) + ".\n"};
}

// head: the request line and the header fields. Empty when the request line is malformed.
std::optional<MockGate::Request> parseRequest(const QByteArray &head)
{
    QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> requestLine = lines.takeFirst().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine.at(1).startsWith('/'))
        return std::nullopt;
    MockGate::Request request;
    request.path = QUrl::fromEncoded(requestLine.at(1)).path();
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        request.headers.append({name, value});
        if (name == "upgrade" && value.toLower().contains("websocket"))
            request.asksForWebSocket = true;
    }
    return request;
}

} // namespace

MockGate::MockGate(QTcpSocket *socket, Decide decide, HandOver handOver)
    : MockGate(socket, std::move(decide), std::move(handOver), std::make_shared<Request>())
{
}

// The request the decision read is the one handed over with the socket.
MockGate::MockGate(QTcpSocket *socket, Decide decide, HandOver handOver,
                   std::shared_ptr<Request> parsed)
    : RequestGate(
            socket, "wsprobe-mock"_ba,
            [decide = std::move(decide), parsed](const QByteArray &head) -> Verdict {
                std::optional<Request> request = parseRequest(head);
                if (!request)
                    return refusal(400);
                const int status = decide(*request);
                *parsed = std::move(*request);
                return status != 0 ? refusal(status) : Verdict{};
            },
            [handOver = std::move(handOver), parsed](QTcpSocket *handed) {
                handOver(handed, *parsed);
            })
{
}

} // namespace wsprobe
