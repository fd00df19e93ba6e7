#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QWebSocket>

#include <vector>

class QJsonObject;

namespace wsprobe::demo {

// The members of /chat and the JSON notices they all receive.
class ChatRoom : public QObject
{
public:
    void join(QWebSocket *socket, const QString &requestedName);
    // Forgets every member without notices: the server is going away.
    void clear();

private:
    struct Member
    {
        QPointer<QWebSocket> socket;
        QString name;
    };

    int clientCount() const { return int(m_members.size()); }

    void leave(QWebSocket *socket);
    void say(QWebSocket *socket, const QString &text);
    void broadcast(const QJsonObject &message);

    std::vector<Member> m_members;
    int m_nextGuest = 1;
};

} // namespace wsprobe::demo
