#include "loadfigures.h"

#include "loadreport.h"
#include "loadsummary.h"
#include "themecolors.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>

using namespace Qt::StringLiterals;

namespace wsprobe {
namespace {

QString percentiles(const LatencyHistogram &histogram)
{
    if (histogram.count() == 0)
        return u"–"_s;
    return u"%1 / %2 / %3"_s.arg(LoadReport::formatNs(histogram.percentileNs(50)),
                                 LoadReport::formatNs(histogram.percentileNs(95)),
                                 LoadReport::formatNs(histogram.percentileNs(99)));
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 1) + u" s"_s;
}

} // namespace

LoadFigures::LoadFigures(QWidget *parent) : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(18);
    grid->setVerticalSpacing(0);
    m_users = addFigure(tr("users"), u"figureUsers"_s, 0, 0);
    m_iterations = addFigure(tr("iterations"), u"figureIterations"_s, 0, 1);
    m_errors = addFigure(tr("errors"), u"figureErrors"_s, 0, 2);
    m_messages = addFigure(tr("messages/s"), u"figureMessages"_s, 0, 3);
    m_connect = addFigure(tr("connect"), u"figureConnect"_s, 0, 4);
    m_roundTrip = addFigure(tr("round trip"), u"figureRoundTrip"_s, 0, 5);
    m_elapsed = addFigure(tr("elapsed"), u"figureElapsed"_s, 0, 6);
    m_users->setToolTip(tr("Virtual users running now, of those planned"));
    m_iterations->setToolTip(tr("Iterations ended: passed / failed"));
    m_errors->setToolTip(tr("Failed iterations: at their connect step, or at another step"));
    m_messages->setToolTip(tr("Messages a second in / out, over the last 5 s (counted as iterations end)"));
    m_connect->setToolTip(tr("Connect time (the upgrade) p50 / p95 / p99, over the whole run"));
    m_roundTrip->setToolTip(tr("Round trip p50 / p95 / p99, over the whole run"));
    m_elapsed->setToolTip(tr("Time since the start, of the ramp-up plus the duration"));
    for (int column = 0; column < 7; ++column)
        grid->setColumnStretch(column, column >= 4 ? 2 : 1);
    clear();
}

QLabel *LoadFigures::addFigure(const QString &caption, const QString &name, int row, int column)
{
    auto *grid = static_cast<QGridLayout *>(layout());
    auto *title = new QLabel(caption, this);
    m_captions.append(title);
    auto *value = new QLabel(this);
    value->setObjectName(name);
    value->setAccessibleName(caption);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = value->font();
    big.setPointSizeF(big.pointSizeF() * 1.35);
    big.setBold(true);
    value->setFont(big);
    grid->addWidget(title, row * 2, column);
    grid->addWidget(value, row * 2 + 1, column);
    return value;
}

void LoadFigures::recolor()
{
    for (QLabel *caption : std::as_const(m_captions)) {
        QPalette muted = caption->palette();
        muted.setColor(QPalette::WindowText, ThemeColors::muted(palette()));
        caption->setPalette(muted);
    }
    QPalette errors = m_errors->palette();
    errors.setColor(QPalette::WindowText, m_hasErrors ? ThemeColors::failure(palette())
                                                      : palette().color(QPalette::WindowText));
    m_errors->setPalette(errors);
}

void LoadFigures::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // Another theme: the meaningful colours in the new palette's shades.
    if (event->type() == QEvent::PaletteChange)
        recolor();
}

void LoadFigures::setFigures(const LoadSummary &summary, const Snapshot &snapshot)
{
    m_users->setText(u"%1 / %2"_s.arg(snapshot.activeUsers).arg(snapshot.plannedUsers));
    m_iterations->setText(u"%1 / %2"_s.arg(summary.passed).arg(summary.failed()));
    m_errors->setText(summary.iterations
                          ? u"%1 (%2%)"_s.arg(summary.errors()).arg(QString::number(summary.errorRate() * 100, 'f', 1))
                          : QString::number(summary.errors()));
    if (m_hasErrors != (summary.errors() > 0)) {
        m_hasErrors = summary.errors() > 0;
        recolor();
    }
    m_messages->setText(u"%1 / %2"_s.arg(QString::number(snapshot.messagesInPerSecond, 'f', 0),
                                         QString::number(snapshot.messagesOutPerSecond, 'f', 0)));
    m_connect->setText(percentiles(summary.connect));
    m_roundTrip->setText(percentiles(summary.roundTrips));
    const qint64 elapsedMs = summary.elapsedNs / 1'000'000;
    m_elapsed->setText(snapshot.plannedMs > 0 ? u"%1 / %2"_s.arg(seconds(elapsedMs), seconds(snapshot.plannedMs))
                                              : seconds(elapsedMs));
}

void LoadFigures::clear()
{
    for (QLabel *label : {m_users, m_iterations, m_errors, m_messages, m_connect, m_roundTrip, m_elapsed})
        label->setText(u"–"_s);
    m_hasErrors = false;
    recolor();
}

QString LoadFigures::value(const QString &caption) const
{
    for (QLabel *label : {m_users, m_iterations, m_errors, m_messages, m_connect, m_roundTrip, m_elapsed}) {
        if (label->accessibleName() == caption)
            return label->text();
    }
    return {};
}

} // namespace wsprobe
