#include "chatroom.h"

#include "demosocket.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace wsprobe::demo {

void ChatRoom::join(QWebSocket *socket, const QString &requestedName)
{
    const QString name =
            requestedName.isEmpty() ? u"user-%1"_s.arg(m_nextGuest++) : requestedName;
    m_members.push_back({socket, name});
    connect(socket, &QWebSocket::textMessageReceived, this,
            [this, socket](const QString &text) { say(socket, text); });
    connect(socket, &QWebSocket::disconnected, this, [this, socket] { leave(socket); });
    broadcast({{"type"_L1, "join"_L1}, {"name"_L1, name}, {"clients"_L1, clientCount()}});
}

void ChatRoom::clear()
{
    for (const Member &member : m_members) {
        if (member.socket)
            disconnect(member.socket, nullptr, this, nullptr);
    }
    m_members.clear();
}

void ChatRoom::leave(QWebSocket *socket)
{
    const auto it = std::find_if(m_members.begin(), m_members.end(),
                                 [socket](const Member &m) { return m.socket == socket; });
    if (it == m_members.end())
        return;
    const QString name = it->name;
    m_members.erase(it);
    broadcast({{"type"_L1, "leave"_L1}, {"name"_L1, name}, {"clients"_L1, clientCount()}});
}

void ChatRoom::say(QWebSocket *socket, const QString &text)
{
    const auto it = std::find_if(m_members.begin(), m_members.end(),
                                 [socket](const Member &m) { return m.socket == socket; });
    if (it == m_members.end())
        return;
    // Clients that speak JSON send {"text": ...}; anything else is taken as the text itself.
    QString said = text;
    const QJsonDocument json = QJsonDocument::fromJson(text.toUtf8());
    if (json.isObject() && json.object().value("text"_L1).isString())
        said = json.object().value("text"_L1).toString();
    broadcast({{"type"_L1, "message"_L1}, {"from"_L1, it->name}, {"text"_L1, said}});
}

void ChatRoom::broadcast(const QJsonObject &message)
{
    const QString text =
            QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact));
    // Copy: a send can fail and disconnect a member while we iterate.
    const std::vector<Member> members = m_members;
    std::vector<QWebSocket *> leaving;
    for (const Member &member : members) {
        if (!member.socket)
            continue;
        if (canTakeMore(member.socket))
            member.socket->sendTextMessage(text);
        else
            leaving.push_back(member.socket);
    }
    // Closing (for not reading, or on its own): it leaves now rather than when its
    // connection ends, so nothing more is queued for it and the others are told at once.
    for (QWebSocket *socket : leaving)
        leave(socket);
}

} // namespace wsprobe::demo
