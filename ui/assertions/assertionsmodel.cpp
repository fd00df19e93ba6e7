#include "assertionsmodel.h"

#include "eventtext.h"
#include "framelog.h"
#include "jsontext.h"
#include "liveassertions.h"
#include "themecolors.h"

#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QHash>
#include <QIcon>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

using Status = LiveAssertion::Status;

QColor mutedColor()
{
    return ThemeColors::muted(QGuiApplication::palette());
}

// A dot of the status colour: the status reads at a glance, even with the column cut short.
// Cached by colour too, so each theme draws its own dots once.
QIcon statusIcon(Status status)
{
    static QHash<std::pair<int, QRgb>, QIcon> icons;
    const QColor color = statusColor(status);
    const std::pair<int, QRgb> key(int(status), color.rgba());
    auto found = icons.constFind(key);
    if (found != icons.constEnd())
        return *found;
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    {
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        if (status == Status::NotChecked) {
            painter.setPen(QPen(color, 3));
            painter.setBrush(Qt::NoBrush);
            painter.drawEllipse(QRectF(6.5, 6.5, 19, 19));
        } else {
            painter.setPen(Qt::NoPen);
            painter.setBrush(color);
            painter.drawEllipse(QRectF(5, 5, 22, 22));
        }
    }
    const QIcon icon(pixmap);
    icons.insert(key, icon);
    return icon;
}

QString prettyJson(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    return JsonText::compact(value);
}

} // namespace

QColor statusColor(LiveAssertion::Status status)
{
    // The same red and green as the frame log and the step list.
    switch (status) {
    case Status::Passing: return ThemeColors::success(QGuiApplication::palette());
    case Status::Failing: return ThemeColors::failure(QGuiApplication::palette());
    case Status::Waiting:
    case Status::NotChecked: break;
    }
    return mutedColor();
}

QString statusName(LiveAssertion::Status status)
{
    switch (status) {
    case Status::NotChecked: return u"not checked yet"_s;
    case Status::Waiting: return u"waiting"_s;
    case Status::Passing: return u"passing"_s;
    case Status::Failing: return u"failing"_s;
    }
    return {};
}

QString statusText(const LiveAssertion &assertion)
{
    const QString progress = assertion.progress();
    const QString name = statusName(assertion.status());
    return progress.isEmpty() ? name : name + u" · "_s + progress;
}

QString failureSummary(const QString &frameName, const LiveFailure &failure, int maxChars)
{
    return frameName + u" · "_s + oneLine(failure.explanation, maxChars);
}

void AssertionsModel::setFrameNamer(std::function<QString(qint64)> namer)
{
    beginResetModel();
    m_frameNamer = std::move(namer);
    endResetModel();
}

QString AssertionsModel::frameName(qint64 sequence) const
{
    return m_frameNamer ? m_frameNamer(sequence) : u"#%1"_s.arg(sequence);
}

AssertionsModel::AssertionsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void AssertionsModel::setAssertions(LiveAssertions *assertions)
{
    if (m_assertions == assertions)
        return;
    beginResetModel();
    if (m_assertions)
        disconnect(m_assertions, nullptr, this, nullptr);
    m_assertions = assertions;
    if (assertions) {
        connect(assertions, &LiveAssertions::aboutToInsert, this,
                [this](int row) { beginInsertRows({}, row, row); });
        connect(assertions, &LiveAssertions::inserted, this, [this] { endInsertRows(); });
        connect(assertions, &LiveAssertions::aboutToRemove, this,
                [this](int row) { beginRemoveRows({}, row, row); });
        connect(assertions, &LiveAssertions::removed, this, [this] { endRemoveRows(); });
        connect(assertions, &LiveAssertions::changed, this, &AssertionsModel::rowChanged);
        connect(assertions, &QObject::destroyed, this, [this] {
            beginResetModel();
            m_assertions = nullptr;
            endResetModel();
        });
    }
    endResetModel();
}

bool AssertionsModel::addAssertion(LiveAssertion::Kind kind, const QJsonValue &spec, QString *error)
{
    if (!m_assertions) {
        if (error)
            *error = u"no session to add the assertion to"_s;
        return false;
    }
    return m_assertions->add(kind, spec, error) >= 0;
}

void AssertionsModel::removeAssertion(int row)
{
    if (m_assertions)
        m_assertions->remove(row);
}

void AssertionsModel::resetCounts()
{
    if (m_assertions)
        m_assertions->resetCounts();
}

const LiveAssertion *AssertionsModel::assertionAt(int row) const
{
    if (!m_assertions || row < 0 || row >= m_assertions->count())
        return nullptr;
    return &m_assertions->at(row);
}

const LiveFailure *AssertionsModel::failureAt(const QModelIndex &index) const
{
    const LiveAssertion *assertion = index.isValid() ? assertionAt(index.row()) : nullptr;
    if (!assertion)
        return nullptr;
    const std::optional<LiveFailure> *failure = nullptr;
    if (index.column() == FirstFailureColumn)
        failure = &assertion->firstFailure();
    else if (index.column() == LastFailureColumn)
        failure = &assertion->lastFailure();
    return failure && *failure ? &**failure : nullptr;
}

bool AssertionsModel::isFrameAvailable(qint64 sequence) const
{
    return m_assertions && m_assertions->log() && m_assertions->log()->contains(sequence);
}

int AssertionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_assertions ? 0 : m_assertions->count();
}

int AssertionsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AssertionsModel::data(const QModelIndex &index, int role) const
{
    const LiveAssertion *assertion = index.isValid() ? assertionAt(index.row()) : nullptr;
    if (!assertion)
        return {};

    switch (role) {
    case StatusRole: return int(assertion->status());
    case KindRole: return int(assertion->kind());
    default: break;
    }

    switch (index.column()) {
    case StatusColumn:
        switch (role) {
        case Qt::DisplayRole: return statusText(*assertion);
        case Qt::DecorationRole: return statusIcon(assertion->status());
        case Qt::ForegroundRole: return statusColor(assertion->status());
        case Qt::ToolTipRole:
            return u"%1: %2 checked, %3 passed, %4 failed"_s.arg(statusText(*assertion))
                .arg(assertion->checked())
                .arg(assertion->passed())
                .arg(assertion->failed());
        }
        break;
    case AssertionColumn:
        switch (role) {
        case Qt::DisplayRole: return assertion->describe();
        case Qt::ToolTipRole:
            return LiveAssertion::kindName(assertion->kind()) + u":\n"_s
                + prettyJson(assertion->spec());
        }
        break;
    case PassedColumn:
    case FailedColumn: {
        const qint64 count = index.column() == PassedColumn ? assertion->passed() : assertion->failed();
        switch (role) {
        case Qt::DisplayRole: return QLocale().toString(count);
        case Qt::TextAlignmentRole: return int(Qt::AlignRight | Qt::AlignVCenter);
        case Qt::ForegroundRole:
            if (index.column() == FailedColumn && count > 0)
                return statusColor(Status::Failing);
            if (index.column() == PassedColumn && count > 0)
                return statusColor(Status::Passing);
            return mutedColor();
        }
        break;
    }
    case FirstFailureColumn:
    case LastFailureColumn:
        return failureData(failureAt(index), role);
    }
    return {};
}

QVariant AssertionsModel::failureData(const LiveFailure *failure, int role) const
{
    if (!failure) {
        switch (role) {
        case Qt::DisplayRole: return u"—"_s;
        case Qt::ForegroundRole: return mutedColor();
        case SequenceRole: return qint64(-1);
        case FrameAvailableRole: return false;
        }
        return {};
    }
    const bool available = isFrameAvailable(failure->sequence);
    switch (role) {
    case Qt::DisplayRole:
        return available ? failureSummary(frameName(failure->sequence), *failure)
                         : u"(gone from the log) "_s + oneLine(failure->explanation, 120);
    case Qt::ForegroundRole:
        return available ? QGuiApplication::palette().color(QPalette::Link) : mutedColor();
    case Qt::FontRole:
        if (available) {
            QFont font;
            font.setUnderline(true);
            return font;
        }
        return {};
    case Qt::ToolTipRole: {
        QString text = u"On %1\nExpected: %2\nActual: %3\nWhy: %4"_s.arg(
            available ? frameName(failure->sequence) : u"a frame no longer in the log"_s, failure->expected,
            failure->actual, failure->explanation);
        text += available ? u"\n\nClick to show the frame in the log."_s
                          : u"\n\nThe frame is no longer in the log (its capacity, or a clear)."_s;
        return text;
    }
    case SequenceRole: return failure->sequence;
    case FrameAvailableRole: return available;
    }
    return {};
}

QVariant AssertionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StatusColumn: return u"Status"_s;
    case AssertionColumn: return u"Assertion"_s;
    case PassedColumn: return u"Passed"_s;
    case FailedColumn: return u"Failed"_s;
    case FirstFailureColumn: return u"First failure"_s;
    case LastFailureColumn: return u"Last failure"_s;
    }
    return {};
}

void AssertionsModel::rowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace wsprobe
