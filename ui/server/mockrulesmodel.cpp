#include "mockrulesmodel.h"

#include "mockserver.h"

#include <QFont>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

// A reply as one short line: its text, or its JSON compact.
QString messageText(const MockMessage &message)
{
    if (message.body == MockMessage::Body::Text)
        return message.value.toString();
    const QByteArray compact = QJsonDocument(QJsonArray{message.value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(compact.mid(1, compact.size() - 2));
}

QString closeText(const MockClose &close)
{
    if (close.drop)
        return MockRulesModel::tr("drop");
    QString text = MockRulesModel::tr("close %1").arg(close.code);
    if (close.delayMs > 0)
        text += MockRulesModel::tr(" after %1 ms").arg(close.delayMs);
    return text;
}

QString replyText(const MockRule &rule)
{
    QStringList parts;
    for (const MockMessage &message : rule.reply) {
        // Where it goes first: a long reply is cut at the end of the cell.
        QString part;
        switch (message.to) {
        case MockMessage::Target::Sender: break;
        case MockMessage::Target::All: part = MockRulesModel::tr("to all: "); break;
        case MockMessage::Target::Others: part = MockRulesModel::tr("to others: "); break;
        case MockMessage::Target::Group: part = MockRulesModel::tr("to group %1: ").arg(message.group); break;
        }
        if (message.delayMs > 0)
            part += MockRulesModel::tr("after %1 ms: ").arg(message.delayMs);
        parts.append(part + messageText(message));
    }
    if (rule.close)
        parts.append(closeText(*rule.close));
    return parts.isEmpty() ? MockRulesModel::tr("nothing") : parts.join(u" · "_s);
}

QString unmatchedText(const MockUnmatched &unmatched)
{
    switch (unmatched.action) {
    case MockUnmatched::Action::Ignore: return MockRulesModel::tr("ignore");
    case MockUnmatched::Action::Echo: return MockRulesModel::tr("echo");
    case MockUnmatched::Action::Close: return closeText(unmatched.close);
    }
    return {};
}

} // namespace

MockRulesModel::MockRulesModel(QObject *parent) : QAbstractTableModel(parent)
{
    m_flush.setSingleShot(true);
    m_flush.setInterval(100);
    connect(&m_flush, &QTimer::timeout, this, &MockRulesModel::flushHits);
}

void MockRulesModel::setServer(MockServer *server)
{
    if (m_server)
        disconnect(m_server, nullptr, this, nullptr);
    beginResetModel();
    m_server = server;
    m_rows.clear();
    m_firstRow.clear();
    m_hitSinceFlush.clear();
    m_flush.stop();
    if (server) {
        const QList<MockRoute> &routes = server->script().routes;
        for (qsizetype r = 0; r < routes.size(); ++r) {
            const MockRoute &route = routes.at(r);
            m_firstRow.push_back(int(m_rows.size()));
            for (qsizetype i = 0; i < route.rules.size(); ++i)
                m_rows.push_back({int(r), int(i), route.rules.at(i).when.describe(), replyText(route.rules.at(i))});
            m_rows.push_back({int(r), -1, tr("no rule matched"), unmatchedText(route.unmatched)});
        }
        m_hitSinceFlush.assign(m_rows.size(), false);
        connect(server, &MockServer::ruleHit, this, [this](int route, int rule) { onHit(route, rule); });
        connect(server, &MockServer::unmatched, this, [this](int route) { onHit(route, -1); });
    }
    endResetModel();
}

int MockRulesModel::rowOf(int route, int rule) const
{
    if (route < 0 || size_t(route) >= m_firstRow.size() || !m_server)
        return -1;
    const int rules = int(m_server->script().routes.at(route).rules.size());
    if (rule < -1 || rule >= rules)
        return -1;
    return m_firstRow[size_t(route)] + (rule < 0 ? rules : rule);
}

qint64 MockRulesModel::hitsAt(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size() || !m_server)
        return 0;
    const Row &r = m_rows[size_t(row)];
    return r.rule < 0 ? m_server->unmatchedCount(r.route) : m_server->ruleHits(r.route, r.rule);
}

void MockRulesModel::onHit(int route, int rule)
{
    const int row = rowOf(route, rule);
    if (row < 0)
        return;
    m_hitSinceFlush[size_t(row)] = true;
    if (!m_flush.isActive())
        m_flush.start();
}

void MockRulesModel::flushHits()
{
    for (size_t row = 0; row < m_hitSinceFlush.size(); ++row) {
        if (!m_hitSinceFlush[row])
            continue;
        m_hitSinceFlush[row] = false;
        Q_EMIT dataChanged(index(int(row), HitsColumn), index(int(row), HitsColumn));
    }
}

int MockRulesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MockRulesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MockRulesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || size_t(index.row()) >= m_rows.size() || !m_server)
        return {};
    const Row &row = m_rows[size_t(index.row())];
    if (role == HitsRole)
        return hitsAt(index.row());
    if (role == Qt::TextAlignmentRole && (index.column() == HitsColumn || index.column() == RuleColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::FontRole && index.column() == HitsColumn && hitsAt(index.row()) > 0) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::ToolTipRole && (index.column() == WhenColumn || index.column() == ReplyColumn))
        return index.column() == WhenColumn ? row.when : row.reply;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case RouteColumn:
        return m_server->script().routes.at(row.route).path;
    case RuleColumn:
        return row.rule < 0 ? u"–"_s : QString::number(row.rule + 1);
    case WhenColumn:
        return row.when;
    case ReplyColumn:
        return row.reply;
    case HitsColumn:
        return hitsAt(index.row());
    }
    return {};
}

QVariant MockRulesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RouteColumn: return tr("Route");
    case RuleColumn: return tr("#");
    case WhenColumn: return tr("When");
    case ReplyColumn: return tr("Reply");
    case HitsColumn: return tr("Hits");
    }
    return {};
}

} // namespace wsprobe
